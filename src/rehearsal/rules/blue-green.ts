import { parse } from "yaml";
import { addressOf, type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

interface PairInfo {
  readonly prod_traffic_route?: { readonly listener_arns?: readonly string[] };
  readonly test_traffic_route?: { readonly listener_arns?: readonly string[] };
  readonly target_group?: readonly { readonly name?: string }[];
}

interface PipelineAction {
  readonly name: string;
  readonly provider: string;
  readonly configuration?: Record<string, string>;
  readonly output_artifacts?: readonly string[];
}

/**
 * What AWS checks when a blue/green (CodeDeploy) service and its pipeline are created:
 * - ECS refuses deployment alarms and the deployment circuit breaker unless the service uses the
 *   ECS deployment controller (CODE_DEPLOY services roll back through CodeDeploy instead);
 * - CreateDeploymentGroup needs the ECS service to exist with the CODE_DEPLOY controller, and its
 *   two target groups; the production listener must route to the target group the service runs
 *   behind, or CodeDeploy has no traffic to move;
 * - each target group of the pair must belong to the service's load balancer (a listener or rule
 *   forwarding to it) when ECS registers tasks in it: "The target group ... does not have an
 *   associated load balancer" otherwise, for the service's group at CreateService and for the
 *   green group at the first deployment's CreateTaskSet;
 * - the pipeline's CodeDeployToECS action needs its deployment group to exist, and its task
 *   definition and AppSpec files in the input artifact (the first run fails otherwise).
 */
export const BLUE_GREEN_DEPLOYMENTS: RehearsalRule = {
  id: "BLUE_GREEN_DEPLOYMENTS",
  models:
    "blue/green services: CODE_DEPLOY settings ECS accepts, target groups on the load balancer, deployment groups and the files their pipeline action reads",
  docs: [
    "Amazon ECS API Reference: DeploymentAlarms and DeploymentCircuitBreaker (ECS deployment controller only)",
    "Amazon ECS Developer Guide: CodeDeploy blue/green deployments for Amazon ECS",
    "AWS CodeDeploy User Guide: Create a deployment group for an Amazon ECS deployment",
    "AWS CodePipeline User Guide: Amazon Elastic Container Service and CodeDeploy blue-green deploy action reference",
  ],
  check(context: StepContext): RehearsalFinding[] {
    return [...serviceFindings(context), ...pipelineFindings(context)];
  },
};

function forwardTargets(action: unknown): string[] {
  const actions = Array.isArray(action) ? action : [];
  return actions.flatMap((a: { target_group_arn?: string }) =>
    typeof a.target_group_arn === "string" ? [a.target_group_arn] : [],
  );
}

function serviceFindings(context: StepContext): RehearsalFinding[] {
  const { app, step } = context;
  const stack = step.stack;
  const findings: RehearsalFinding[] = [];
  const report = (ref: ResourceRef, effect: string, fix: string) =>
    findings.push(finding(BLUE_GREEN_DEPLOYMENTS, stack, addressOf(ref), effect, fix));

  for (const service of app.resources(stack, "aws_ecs_service")) {
    const controller = (service.config.deployment_controller as { type?: string } | undefined)
      ?.type;
    if (controller !== "CODE_DEPLOY") continue;
    if (service.config.alarms !== undefined) {
      report(
        service,
        "ECS refuses deployment alarms on a service whose deployment controller is not ECS",
        "give the alarms to the CodeDeploy deployment group (alarm_configuration) instead",
      );
    }
    if (service.config.deployment_circuit_breaker !== undefined) {
      report(
        service,
        "the deployment circuit breaker works with the ECS deployment controller only; on a CODE_DEPLOY service it never acts and the plan never converges",
        "leave it out; CodeDeploy's auto rollback covers failed deployments",
      );
    }
  }

  const rules = [
    ...app.resources(stack, "aws_lb_listener_rule").map((r) => ({
      ref: r,
      listener: app.resolve(stack, String(r.config.listener_arn)),
      targets: forwardTargets(r.config.action).map((t) => app.resolve(stack, t)),
    })),
    ...app.allResources("aws_lb_listener").map((l) => ({
      ref: l,
      listener: app.attribute(l, "arn"),
      targets: forwardTargets(l.config.default_action).map((t) => app.resolve(l.stack, t)),
    })),
  ];
  const targetGroups = app.resources(stack, "aws_lb_target_group");

  for (const group of app.resources(stack, "aws_codedeploy_deployment_group")) {
    const ecs = group.config.ecs_service as { service_name?: string } | undefined;
    if (!ecs) continue;
    const serviceName = app.resolve(stack, String(ecs.service_name));
    const service = app
      .resources(stack, "aws_ecs_service")
      .find((s) => app.attribute(s, "name") === serviceName);
    if (!service || !context.existsFor(service, group)) {
      report(
        group,
        `CreateDeploymentGroup fails: ECS service ${serviceName} does not exist when the deployment group is created`,
        "create the deployment group after the service (depends_on)",
      );
      continue;
    }
    if (
      (service.config.deployment_controller as { type?: string } | undefined)?.type !==
      "CODE_DEPLOY"
    ) {
      report(
        group,
        `CreateDeploymentGroup fails: ${serviceName} does not use the CODE_DEPLOY deployment controller`,
        "set deployment_controller { type = CODE_DEPLOY } on the service",
      );
    }
    const info = (group.config.load_balancer_info as { target_group_pair_info?: PairInfo })
      ?.target_group_pair_info;
    const names = info?.target_group?.map((t) => app.resolve(stack, String(t.name))) ?? [];
    const prod = (info?.prod_traffic_route?.listener_arns ?? []).map((a) => app.resolve(stack, a));
    const test = (info?.test_traffic_route?.listener_arns ?? []).map((a) => app.resolve(stack, a));
    if (names.length !== 2 || prod.length !== 1) {
      report(
        group,
        "CodeDeploy needs exactly two target groups and one production listener for an ECS deployment group",
        "name both target groups and the production listener in target_group_pair_info",
      );
      continue;
    }
    const serviceGroupArns = (
      (service.config.load_balancer as { target_group_arn?: string }[] | undefined) ?? []
    ).map((lb) => app.resolve(stack, String(lb.target_group_arn)));
    names.forEach((name, i) => {
      const tg = targetGroups.find((t) => app.attribute(t, "name") === name);
      if (!tg) {
        report(
          group,
          `target group ${name} is not part of this stack`,
          "create both target groups with the service",
        );
        return;
      }
      const arn = app.attribute(tg, "arn");
      const attached = rules.filter(
        (r) =>
          r.targets.includes(arn) &&
          [...prod, ...test].includes(r.listener) &&
          (r.ref.stack !== stack || context.existsFor(r.ref, service)),
      );
      if (attached.length === 0) {
        report(
          group,
          `target group ${name} does not belong to the load balancer of ${serviceName} through the deployment group's listeners when ECS registers tasks in it: "does not have an associated load balancer"`,
          i === 0
            ? "forward a production listener rule to it, created before the service"
            : "forward a test listener rule to it, created before the service",
        );
      }
      if (i === 0 && !serviceGroupArns.includes(arn)) {
        report(
          group,
          `the first target group ${name} is not the one ${serviceName} runs behind: CodeDeploy moves traffic from the service's group`,
          "list the service's target group first, the replacement group second",
        );
      }
      if (i === 0 && !attached.some((r) => prod.includes(r.listener))) {
        report(
          group,
          `the production listener does not route to ${name}: CodeDeploy has no production traffic to move`,
          "forward the service's production listener rule to its target group",
        );
      }
    });
  }
  return findings;
}

function pipelineFindings(context: StepContext): RehearsalFinding[] {
  const { app, step } = context;
  const stack = step.stack;
  const findings: RehearsalFinding[] = [];
  const deploymentGroups = app.allResources("aws_codedeploy_deployment_group").map((g) => ({
    ref: g,
    app: app.resolve(g.stack, String(g.config.app_name)),
    name: app.resolve(g.stack, String(g.config.deployment_group_name)),
  }));
  const projects = app.resources(stack, "aws_codebuild_project");
  for (const pipeline of app.resources(stack, "aws_codepipeline")) {
    const actions = (
      (pipeline.config.stage as { action?: PipelineAction[] }[] | undefined) ?? []
    ).flatMap((s) => s.action ?? []);
    for (const action of actions.filter((a) => a.provider === "CodeDeployToECS")) {
      const c = action.configuration ?? {};
      const groupName = app.resolve(stack, c.DeploymentGroupName ?? "");
      const appName = app.resolve(stack, c.ApplicationName ?? "");
      const group = deploymentGroups.find((g) => g.name === groupName && g.app === appName);
      if (!group || !context.applied.includes(group.ref.stack)) {
        findings.push(
          finding(
            BLUE_GREEN_DEPLOYMENTS,
            stack,
            addressOf(pipeline),
            `deploy action ${action.name}: CodeDeploy deployment group ${appName}/${groupName} does not exist when the pipeline first runs`,
            "apply the services stack that creates it before the pipeline",
          ),
        );
      }
      for (const [artifactKey, pathKey] of [
        ["TaskDefinitionTemplateArtifact", "TaskDefinitionTemplatePath"],
        ["AppSpecTemplateArtifact", "AppSpecTemplatePath"],
      ] as const) {
        const producer = actions.find((a) => a.output_artifacts?.includes(c[artifactKey] ?? ""));
        const projectName = producer?.configuration?.ProjectName;
        const project = projects.find(
          (p) =>
            projectName !== undefined &&
            addressOf(p) === projectName.replace(/^\$\{|\.name\}$/g, ""),
        );
        const buildspec = project
          ? (parse(
              String(
                (project.config.source as { buildspec?: string } | undefined)?.buildspec ?? "",
              ),
            ) as { artifacts?: { files?: string[] } } | undefined)
          : undefined;
        const path =
          c[pathKey] ?? (pathKey === "AppSpecTemplatePath" ? "appspec.yaml" : "taskdef.json");
        if (!buildspec?.artifacts?.files?.includes(path)) {
          findings.push(
            finding(
              BLUE_GREEN_DEPLOYMENTS,
              stack,
              addressOf(pipeline),
              `deploy action ${action.name}: ${path} is not in artifact ${c[artifactKey]} (its build does not write it); the deployment fails on the first run`,
              "have the build that produces the artifact render the file and list it in its artifacts",
            ),
          );
        }
      }
    }
  }
  return findings;
}
