import { addressOf } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

interface StrategyItem {
  readonly capacity_provider?: string;
  readonly weight?: number;
  readonly base?: number;
}

/**
 * Fargate Spot runs only X86_64 Linux tasks. An ARM64 service whose strategy (its own, or the
 * cluster's default when it sets none) can place tasks on FARGATE_SPOT cannot run them there.
 */
export const CAPACITY_SUPPORTS_ARCHITECTURE: RehearsalRule = {
  id: "CAPACITY_SUPPORTS_ARCHITECTURE",
  models: "ARM64 tasks are never placed on FARGATE_SPOT",
  docs: [
    "Amazon ECS Developer Guide: AWS Fargate capacity providers (ARM64 does not support Fargate Spot)",
  ],
  check(context: StepContext): RehearsalFinding[] {
    const { app, step } = context;
    const findings: RehearsalFinding[] = [];
    for (const service of app.resources(step.stack, "aws_ecs_service")) {
      const taskDefinition = app.referenced(service, "task_definition");
      const platform = taskDefinition?.config.runtime_platform as
        { cpu_architecture?: string } | undefined;
      if (platform?.cpu_architecture !== "ARM64") continue;
      let strategy = service.config.capacity_provider_strategy as StrategyItem[] | undefined;
      if (!strategy && !service.config.launch_type) {
        const clusterArn = app.resolve(step.stack, String(service.config.cluster));
        const providers = app.stackIds
          .flatMap((id) => app.resources(id, "aws_ecs_cluster_capacity_providers"))
          .find((p) =>
            clusterArn.endsWith(`:cluster/${app.resolve(p.stack, String(p.config.cluster_name))}`),
          );
        strategy = providers?.config.default_capacity_provider_strategy as
          StrategyItem[] | undefined;
      }
      const spot = (strategy ?? []).find(
        (s) => s.capacity_provider === "FARGATE_SPOT" && ((s.weight ?? 0) > 0 || (s.base ?? 0) > 0),
      );
      if (spot) {
        findings.push(
          finding(
            CAPACITY_SUPPORTS_ARCHITECTURE,
            step.stack,
            addressOf(service),
            "an ARM64 service whose capacity provider strategy includes FARGATE_SPOT: its Spot share of tasks cannot be placed",
            "give the service its own strategy with FARGATE only (set at creation)",
          ),
        );
      }
    }
    return findings;
  },
};
