import { addressOf, type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

interface ContainerJson {
  readonly name?: string;
  readonly image?: string;
  readonly secrets?: readonly { readonly name: string; readonly valueFrom: string }[];
}

/** The task definition a service runs, in the same stack. */
function taskDefinitionOf(context: StepContext, service: ResourceRef): ResourceRef | undefined {
  return context.app.referenced(service, "task_definition");
}

function containers(context: StepContext, taskDefinition: ResourceRef): ContainerJson[] {
  const raw = taskDefinition.config.container_definitions;
  if (typeof raw !== "string") return [];
  try {
    return JSON.parse(context.app.resolve(taskDefinition.stack, raw)) as ContainerJson[];
  } catch {
    return [];
  }
}

/**
 * Creating an ECS service starts its tasks at once. A task whose `secrets` point at a Secrets
 * Manager secret without a value fails to start (ResourceInitializationError: unable to retrieve
 * secret), and one whose image tag does not exist fails to pull (CannotPullContainerError); the
 * deployment circuit breaker then marks the first deployment failed. So every secret needs a
 * value, and every image its tag, before the stack that creates the service is applied.
 */
export const TASKS_CAN_START: RehearsalRule = {
  id: "TASKS_CAN_START",
  models: "secrets have values and images exist before a service starts its first tasks",
  docs: [
    "Amazon ECS Developer Guide: Pass Secrets Manager secrets through Amazon ECS environment variables",
    "Amazon ECS Developer Guide: Troubleshooting ResourceInitializationError errors in Amazon ECS",
    "Amazon ECS Developer Guide: CannotPullContainer task errors",
  ],
  check(context: StepContext): RehearsalFinding[] {
    const { app, step } = context;
    const findings: RehearsalFinding[] = [];
    const valued = new Set(
      context.provided.flatMap((p) =>
        p.kind === "secret-value" ? [`${p.accountId}:${p.name}`] : [],
      ),
    );
    const versioned = new Set(
      app.stackIds
        .flatMap((id) => app.resources(id, "aws_secretsmanager_secret_version"))
        .filter((v) => context.applied.includes(v.stack) || v.stack === step.stack)
        .map((v) => app.resolve(v.stack, String(v.config.secret_id))),
    );
    const images = new Set(
      context.provided.flatMap((p) =>
        p.kind === "image" ? [`${p.accountId}:${p.repository}:${p.tag}`] : [],
      ),
    );
    for (const service of app.resources(step.stack, "aws_ecs_service")) {
      const taskDefinition = taskDefinitionOf(context, service);
      if (!taskDefinition) continue;
      for (const container of containers(context, taskDefinition)) {
        for (const secret of container.secrets ?? []) {
          const resource = context.resourceByArn(secret.valueFrom);
          if (!resource || resource.type !== "aws_secretsmanager_secret") continue;
          const name = app.attribute(resource, "name");
          const account = app.placement(resource).accountId;
          if (valued.has(`${account}:${name}`) || versioned.has(secret.valueFrom)) continue;
          findings.push(
            finding(
              TASKS_CAN_START,
              step.stack,
              addressOf(service),
              `container ${container.name} reads secret ${name} (${secret.name}), which has no value when the service starts its tasks: ResourceInitializationError, and the circuit breaker fails the first deployment`,
              `set the secret's value (put-secret-value) in a runbook step before ${step.stack}; create the secret in an earlier stack`,
            ),
          );
        }
        const image = /^(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/([^:@]+):([^@]+)$/.exec(
          container.image ?? "",
        );
        if (image && !images.has(`${image[1]}:${image[2]}:${image[3]}`)) {
          findings.push(
            finding(
              TASKS_CAN_START,
              step.stack,
              addressOf(service),
              `container ${container.name} runs ${container.image}, which no step publishes before ${step.stack}: CannotPullContainerError, and the circuit breaker fails the first deployment`,
              "publish the image (the app repository's publish workflow) in a runbook step before this stack",
            ),
          );
        }
      }
    }
    return findings;
  },
};
