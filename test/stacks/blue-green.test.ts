import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decide } from "../../src/iam/simulate";
import { renderBlueGreen } from "../../src/pipeline/blue-green-render";
import { ResolvedApp } from "../../src/synth/resolve";
import { runBuildPhase } from "../helpers/build-phase";
import { configProblems, exampleConfig } from "../helpers/config";
import { platformIam, type PlatformIam } from "../helpers/iam";
import { synthOutput } from "../helpers/rehearsal";
import { resourcesOf, synthApp, type StackJson } from "../helpers/synth";
import { threeByThreeConfig } from "../helpers/three-by-three";

/*
 * Blue/green services (`deployment: blue-green`), read as AWS reads them: the 3x3 config's
 * `worker` deploys through CodeDeploy in every environment (production in another account), the
 * other services roll. Amazon ECS Developer Guide "CodeDeploy blue/green deployments", CodeDeploy
 * User Guide (ECS deployment groups, AppSpec), CodePipeline "CodeDeployToECS" action reference.
 */

const CONFIG = threeByThreeConfig();
const PROD = "222222222222";
type Resource = Record<string, unknown>;

const byName = (stack: StackJson, type: string, name: string): Resource => {
  const found = Object.values(resourcesOf(stack, type)).find((r) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
};

describe("blue/green services in the 3x3 config", () => {
  let stacks: Record<string, StackJson>;
  beforeAll(() => {
    stacks = synthApp(CONFIG).stacks;
  });

  it("opens a test listener only where a blue/green service runs, reachable from the VPC's NAT gateways and the configured CIDRs", () => {
    const single = synthApp(exampleConfig()).stacks; // rolling only
    expect(
      Object.values(resourcesOf(single["network-staging"], "aws_lb_listener")).map((l) => l.port),
    ).toEqual([80, 443]);
    // The ALB is internet-facing: a client in the VPC reaches it from its NAT gateway's address.
    const nat = (count: number) =>
      Array.from(
        { length: count },
        (_, i) => new RegExp(`^\\$\\{aws_nat_gateway\\.Vpc_Nat${i}_\\w+\\.public_ip\\}/32$`),
      );
    for (const [env, port, cidrs] of [
      ["qa", 9443, [...nat(1), /^198\.51\.100\.0\/24$/]],
      ["production", 8443, nat(CONFIG.environments.production.network.availabilityZones.length)],
    ] as const) {
      const network = stacks[`network-${env}`];
      const test = Object.values(resourcesOf(network, "aws_lb_listener")).find(
        (l) => l.port === port,
      );
      expect(test?.protocol, env).toBe("HTTPS");
      const ingress = Object.values(resourcesOf(network, "aws_vpc_security_group_ingress_rule"))
        .filter((r) => r.from_port === port)
        .map((r) => String(r.cidr_ipv4));
      // Never 0.0.0.0/0 by default, and not the VPC range (no client arrives from it).
      expect(ingress.length, env).toBe(cidrs.length);
      ingress.forEach((cidr, i) => expect(cidr, env).toMatch(cidrs[i]));
    }
  });

  it("gives worker the CODE_DEPLOY controller, two target groups and rules whose forward CodeDeploy owns", () => {
    const services = stacks["services-production"];
    const worker = byName(services, "aws_ecs_service", "acme-shop-production-worker");
    expect(worker.deployment_controller).toEqual({ type: "CODE_DEPLOY" });
    // ECS accepts these only with its own deployment controller; CodeDeploy rolls back instead.
    expect(worker.deployment_circuit_breaker).toBeUndefined();
    expect(worker.alarms).toBeUndefined();
    // UpdateService refuses these on CODE_DEPLOY services: Terraform must not try.
    expect((worker.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(
      expect.arrayContaining(["task_definition", "load_balancer", "network_configuration"]),
    );
    // CodeDeploy drops a capacity strategy its AppSpec does not repeat: the service states one.
    expect(worker.capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 2, weight: 1 },
    ]);
    const rules = Object.values(resourcesOf(services, "aws_lb_listener_rule")).filter((r) =>
      JSON.stringify(r.condition).includes("jobs."),
    );
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.lifecycle).toEqual({ ignore_changes: ["action"] });
      // The tag CodeDeploy's role is scoped by.
      expect(rule.tags).toEqual({ BlueGreenService: "acme-shop-production-worker" });
    }
    // UpdateService refuses ECS Exec changes on CODE_DEPLOY services too.
    expect((worker.lifecycle as { ignore_changes: string[] }).ignore_changes).toContain(
      "enable_execute_command",
    );
    // No Cloud Map name: it would list both task sets' tasks during a deployment.
    expect(worker.service_registries).toBeUndefined();
    expect(
      Object.values(resourcesOf(services, "aws_service_discovery_service")).map((d) => d.name),
    ).toEqual(["api", "web"]);
    // The rolling services keep the circuit breaker and the alarm rollback.
    const api = byName(services, "aws_ecs_service", "acme-shop-production-api");
    expect(api.deployment_controller).toBeUndefined();
    expect(api.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
  });
});

describe("monitoring that follows a blue/green service's traffic", () => {
  let app: ResolvedApp;
  beforeAll(() => {
    app = new ResolvedApp(synthOutput(CONFIG));
  });
  const stack = "services-production";
  const groups = () =>
    Object.fromEntries(
      app
        .resources(stack, "aws_lb_target_group")
        .map((g) => [app.attribute(g, "name"), g] as const),
    );

  it("alarms on both target groups of the pair (traffic moves to the other one on each deployment)", () => {
    const worker = ["acme-shop-production-worker-9000", "acme-shop-production-work-952c16"].map(
      (name) => app.attribute(groups()[name], "arn_suffix"),
    );
    for (const [alarmName, expression] of [
      ["acme-shop-production-worker-target-5xx", "FILL(blue, 0) + FILL(green, 0)"],
      ["acme-shop-production-worker-unhealthy-hosts", "MAX([FILL(blue, 0), FILL(green, 0)])"],
      ["acme-shop-production-worker-latency-p99", "MAX([FILL(blue, 0), FILL(green, 0)])"],
    ]) {
      const alarm = app
        .resources(stack, "aws_cloudwatch_metric_alarm")
        .find((a) => app.attribute(a, "alarm_name") === alarmName);
      const queries = alarm?.config.metric_query as {
        id: string;
        expression?: string;
        return_data?: boolean;
        metric?: { dimensions: { TargetGroup: string } };
      }[];
      expect(
        queries
          .filter((q) => q.metric)
          .map((q) => app.resolve(stack, q.metric?.dimensions.TargetGroup ?? "")),
        alarmName,
      ).toEqual(worker);
      expect(queries.find((q) => q.return_data)?.expression, alarmName).toBe(expression);
    }
    // A rolling service keeps its one target group.
    const api = app
      .resources(stack, "aws_cloudwatch_metric_alarm")
      .find((a) => app.attribute(a, "alarm_name") === "acme-shop-production-api-target-5xx");
    expect(api?.config.metric_query).toBeUndefined();
    expect(api?.config.metric_name).toBe("HTTPCode_Target_5XX_Count");
  });

  it("scales a blue/green service on CPU only (requests per target name one target group)", () => {
    const policies = app
      .resources(stack, "aws_appautoscaling_policy")
      .map((p) => [app.resolve(stack, String(p.config.resource_id)), p.config] as const);
    const kinds = (service: string) =>
      policies
        .filter(([id]) => id.endsWith(`/${service}`))
        .map(
          ([, c]) =>
            (
              c.target_tracking_scaling_policy_configuration as {
                predefined_metric_specification: { predefined_metric_type: string };
              }
            ).predefined_metric_specification.predefined_metric_type,
        );
    expect(kinds("acme-shop-production-worker")).toEqual(["ECSServiceAverageCPUUtilization"]);
    expect(kinds("acme-shop-production-api")).toEqual([
      "ECSServiceAverageCPUUtilization",
      "ALBRequestCountPerTarget",
    ]);
  });
});

describe("the CodeDeploy deployment group, as CodeDeploy reads it", () => {
  let app: ResolvedApp;
  beforeAll(() => {
    app = new ResolvedApp(synthOutput(CONFIG));
  });

  it("moves traffic between worker's two target groups on the production and test listeners", () => {
    const [group] = app.resources("services-production", "aws_codedeploy_deployment_group");
    const c = group.config as {
      deployment_style: unknown;
      deployment_config_name: string;
      blue_green_deployment_config: unknown;
      auto_rollback_configuration: unknown;
      alarm_configuration: { alarms: string[]; enabled: boolean };
      load_balancer_info: {
        target_group_pair_info: {
          target_group: { name: string }[];
          prod_traffic_route: { listener_arns: string[] };
          test_traffic_route: { listener_arns: string[] };
        };
      };
    };
    expect(c.deployment_style).toEqual({
      deployment_type: "BLUE_GREEN",
      deployment_option: "WITH_TRAFFIC_CONTROL",
    });
    expect(c.deployment_config_name).toBe("CodeDeployDefault.ECSAllAtOnce");
    expect(c.blue_green_deployment_config).toEqual({
      deployment_ready_option: { action_on_timeout: "CONTINUE_DEPLOYMENT" },
      terminate_blue_instances_on_deployment_success: {
        action: "TERMINATE",
        termination_wait_time_in_minutes: 15, // blueGreen.terminationWaitMinutes
      },
    });
    expect(c.auto_rollback_configuration).toEqual({
      enabled: true,
      events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    });
    const resolve = (v: string) => app.resolve("services-production", v);
    expect(c.alarm_configuration.alarms.map(resolve)).toEqual([
      "acme-shop-production-worker-target-5xx",
      "acme-shop-production-worker-unhealthy-hosts",
    ]);
    const pair = c.load_balancer_info.target_group_pair_info;
    const [https, test] = ["Alb_Https", "Alb_Test"].map((prefix) => {
      const listener = app
        .resources("network-production", "aws_lb_listener")
        .find((l) => l.name.startsWith(prefix));
      if (!listener) throw new Error(prefix);
      return app.attribute(listener, "arn");
    });
    expect(pair.prod_traffic_route.listener_arns.map(resolve)).toEqual([https]);
    expect(pair.test_traffic_route.listener_arns.map(resolve)).toEqual([test]);
    // Target groups by NAME (CodeDeploy's TargetGroupInfo), the service's own first.
    const service = app
      .resources("services-production", "aws_ecs_service")
      .find((s) => app.attribute(s, "name") === "acme-shop-production-worker");
    const serviceGroupArn = resolve(
      (service?.config.load_balancer as { target_group_arn: string }[])[0].target_group_arn,
    );
    const groupNames = app
      .resources("services-production", "aws_lb_target_group")
      .filter((g) => app.attribute(g, "name").includes("-work"))
      .map((g) => [app.attribute(g, "arn"), app.attribute(g, "name")] as const);
    const serviceGroupName = groupNames.find(([arn]) => arn === serviceGroupArn)?.[1];
    expect(pair.target_group.map((t) => t.name)).toEqual([
      serviceGroupName,
      groupNames.find(([arn]) => arn !== serviceGroupArn)?.[1],
    ]);
  });
});

describe("worker's pipeline", () => {
  let app: ResolvedApp;
  let pipeline: { stage: { name: string; action: Resource[] }[] };
  beforeAll(() => {
    app = new ResolvedApp(synthOutput(CONFIG));
    const ref = app
      .resources("pipeline", "aws_codepipeline")
      .find((p) => app.attribute(p, "name") === "acme-shop-worker-delivery");
    pipeline = ref?.config as typeof pipeline;
  });
  const deploy = (env: string) =>
    pipeline.stage.find((s) => s.name === `Deploy-${env}`)?.action.find((a) => a.name === "Deploy");

  it("deploys every environment with CodeDeployToECS from the build's rendered files", () => {
    // qa is not a promotion environment of the pipeline.
    for (const env of ["staging", "production"]) {
      expect(deploy(env)).toMatchObject({
        category: "Deploy",
        provider: "CodeDeployToECS",
        input_artifacts: ["BuildArtifact"],
        configuration: {
          ApplicationName: `acme-shop-${env}-worker`,
          DeploymentGroupName: `acme-shop-${env}-worker`,
          TaskDefinitionTemplateArtifact: "BuildArtifact",
          TaskDefinitionTemplatePath: `taskdef-${env}.json`,
          AppSpecTemplateArtifact: "BuildArtifact",
          AppSpecTemplatePath: `appspec-${env}.yaml`,
        },
      });
    }
    // Production's deployment group is in the production account: the action runs as its role.
    expect(deploy("production")?.role_arn).toBe(
      `arn:aws:iam::${PROD}:role/acme-shop-production-worker-pipeline-deploy`,
    );
    expect(deploy("staging")?.role_arn).toBeUndefined();
  });

  it("renders each environment's task definition and AppSpec pinned to the release digest (buildspec executed)", () => {
    const project = app
      .resources("pipeline", "aws_codebuild_project")
      .find((p) => app.attribute(p, "name") === "acme-shop-worker-imagedefinitions");
    if (!project) throw new Error("no build project");
    const spec = parse(String((project.config.source as { buildspec: string }).buildspec)) as {
      phases: { build: { commands: string[] } };
      artifacts: { files: string[] };
    };
    const variables = (
      project.config.environment as { environment_variable: { name: string; value: string }[] }
    ).environment_variable.map((v) => [v.name, app.resolve("pipeline", v.value)] as const);
    const repo = `111111111111.dkr.ecr.eu-west-1.amazonaws.com/acme-shop/worker`;
    const digest = `sha256:${"ab".repeat(32)}`;
    const { run, dir } = runBuildPhase(
      spec.phases.build.commands,
      { repo, digest },
      Object.fromEntries(variables),
    );
    try {
      expect(run.status, run.stderr).toBe(0);
      for (const env of ["staging", "production"]) {
        expect(spec.artifacts.files).toEqual(
          expect.arrayContaining([`taskdef-${env}.json`, `appspec-${env}.yaml`]),
        );
        const task = JSON.parse(readFileSync(join(dir, `taskdef-${env}.json`), "utf8")) as {
          family: string;
          executionRoleArn: string;
          containerDefinitions: { name: string; image: string; secrets: unknown[] }[];
        };
        expect(task.family).toBe(`acme-shop-${env}-worker`);
        expect(task.containerDefinitions.map((c) => [c.name, c.image])).toEqual([
          ["worker", `${repo}@${digest}`],
        ]);
        expect(task.containerDefinitions[0].secrets).toHaveLength(1); // QUEUE_PASSWORD
        const account = env === "production" ? PROD : "111111111111";
        expect(task.executionRoleArn).toBe(
          `arn:aws:iam::${account}:role/acme-shop-${env}-worker-execution`,
        );
        const appSpec = parse(readFileSync(join(dir, `appspec-${env}.yaml`), "utf8")) as {
          version: number;
          Resources: { TargetService: { Type: string; Properties: Resource } }[];
        };
        expect(appSpec.version).toBe(0); // 0.0, a number as AppSpec files write it
        expect(appSpec.Resources[0].TargetService.Type).toBe("AWS::ECS::Service");
        expect(appSpec.Resources[0].TargetService.Properties).toMatchObject({
          TaskDefinition: "<TASK_DEFINITION>",
          LoadBalancerInfo: { ContainerName: "worker", ContainerPort: 9000 },
          // The service's own network settings and capacity strategy: CodeDeploy would
          // otherwise keep stale network settings and drop the strategy.
          NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: "DISABLED" } },
          CapacityProviderStrategy: [
            { CapacityProvider: "FARGATE", Base: env === "production" ? 2 : 0, Weight: 1 },
          ],
        });
        const vpc = (
          appSpec.Resources[0].TargetService.Properties.NetworkConfiguration as {
            AwsvpcConfiguration: { Subnets: string[]; SecurityGroups: string[] };
          }
        ).AwsvpcConfiguration;
        expect(vpc.Subnets, env).toHaveLength(
          CONFIG.environments[env].network.availabilityZones.length,
        );
        expect(vpc.SecurityGroups, env).toHaveLength(1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to render an image that is not pinned to a digest, or a template for another container", () => {
    const template = JSON.stringify({
      containerName: "worker",
      taskDefinition: { containerDefinitions: [{ name: "worker", image: "x:release" }] },
      appSpec: {
        version: "0.0",
        Resources: [
          {
            TargetService: {
              Type: "AWS::ECS::Service",
              Properties: {
                TaskDefinition: "<TASK_DEFINITION>",
                LoadBalancerInfo: { ContainerName: "worker", ContainerPort: 9000 },
              },
            },
          },
        ],
      },
    });
    const pinned = `r.example.com/a/worker@sha256:${"0".repeat(64)}`;
    expect(renderBlueGreen(template, pinned).taskDefinition).toContain(pinned);
    expect(() => renderBlueGreen(template, "r.example.com/a/worker:release")).toThrow(
      /not a digest-pinned image URI/,
    );
    const otherContainer = template.replace('[{"name":"worker"', '[{"name":"other"');
    expect(() => renderBlueGreen(otherContainer, pinned)).toThrow(/no container named worker/);
  });
});

describe("blue/green IAM, evaluated as AWS does", () => {
  let iam: PlatformIam;
  beforeAll(() => {
    iam = platformIam(CONFIG);
  });
  const ecs = (account: string) => `arn:aws:ecs:eu-west-1:${account}`;
  const codedeploy = `arn:aws:codedeploy:eu-west-1:${PROD}`;
  const deployRole = (service: string) =>
    `arn:aws:iam::${PROD}:role/acme-shop-production-${service}-pipeline-deploy`;
  const codeDeployRole = `arn:aws:iam::${PROD}:role/acme-shop-production-worker-codedeploy`;

  it("lets worker's production deploy role start deployments of its own group only, and not roll ECS itself", async () => {
    const role = deployRole("worker");
    const group = `${codedeploy}:deploymentgroup:acme-shop-production-worker/acme-shop-production-worker`;
    expect(await iam.can(role, "codedeploy:CreateDeployment", group)).toBe("Allowed");
    expect(
      await iam.can(
        role,
        "codedeploy:RegisterApplicationRevision",
        `${codedeploy}:application:acme-shop-production-worker`,
      ),
    ).toBe("Allowed");
    expect(
      await iam.can(
        role,
        "codedeploy:CreateDeployment",
        `${codedeploy}:deploymentgroup:acme-shop-production-api/acme-shop-production-api`,
      ),
    ).not.toBe("Allowed");
    // CodeDeploy moves the task sets; the pipeline never updates the service directly.
    expect(
      await iam.can(
        role,
        "ecs:UpdateService",
        `${ecs(PROD)}:service/acme-shop-production-cluster/acme-shop-production-worker`,
      ),
    ).not.toBe("Allowed");
    // api still rolls through ECS, and cannot touch worker's deployments.
    expect(await iam.can(deployRole("api"), "codedeploy:CreateDeployment", group)).not.toBe(
      "Allowed",
    );
  });

  it("lets CodeDeploy assume its role for worker's deployment group only", async () => {
    const trust = iam.role(codeDeployRole).trust;
    const assume = (context: Record<string, string>) =>
      decide({
        principal: "codedeploy.amazonaws.com",
        action: "sts:AssumeRole",
        resource: codeDeployRole,
        resourceAccount: PROD,
        resourcePolicy: trust,
        context,
      });
    const group = `${codedeploy}:deploymentgroup:acme-shop-production-worker/acme-shop-production-worker`;
    expect(await assume({ "aws:SourceAccount": PROD, "aws:SourceArn": group })).toBe("Allowed");
    // Another account's deployment group (confused deputy) or another group of this account.
    expect(
      await assume({
        "aws:SourceAccount": "999999999999",
        "aws:SourceArn": group.replace(PROD, "999999999999"),
      }),
    ).not.toBe("Allowed");
    expect(
      await assume({ "aws:SourceAccount": PROD, "aws:SourceArn": group.replace(/worker$/, "api") }),
    ).not.toBe("Allowed");
  });

  it("lets CodeDeploy's role move only worker's task sets and pass only worker's task roles", async () => {
    const service = `${ecs(PROD)}:service/acme-shop-production-cluster/acme-shop-production-worker`;
    const taskSet = (name: string) =>
      `${ecs(PROD)}:task-set/acme-shop-production-cluster/acme-shop-production-${name}/ecs-svc/1234`;
    expect(await iam.can(codeDeployRole, "ecs:CreateTaskSet", taskSet("worker"))).toBe("Allowed");
    expect(await iam.can(codeDeployRole, "ecs:DeleteTaskSet", taskSet("worker"))).toBe("Allowed");
    expect(await iam.can(codeDeployRole, "ecs:UpdateServicePrimaryTaskSet", service)).toBe(
      "Allowed",
    );
    expect(await iam.can(codeDeployRole, "ecs:CreateTaskSet", taskSet("api"))).not.toBe("Allowed");
    expect(await iam.can(codeDeployRole, "ecs:UpdateService", service)).not.toBe("Allowed");
    const taskRole = `arn:aws:iam::${PROD}:role/acme-shop-production-worker-task`;
    const pass = (roleArn: string, to: string) =>
      iam.can(codeDeployRole, "iam:PassRole", roleArn, {
        context: { "iam:PassedToService": to },
      });
    expect(await pass(taskRole, "ecs-tasks.amazonaws.com")).toBe("Allowed");
    expect(await pass(taskRole, "lambda.amazonaws.com")).not.toBe("Allowed");
    // By the role's own policy too, not only by the platform boundary.
    expect(
      await iam.can(codeDeployRole, "iam:PassRole", taskRole, {
        context: { "iam:PassedToService": "lambda.amazonaws.com" },
        withoutBoundary: true,
      }),
    ).not.toBe("Allowed");
    expect(
      await pass(
        `arn:aws:iam::${PROD}:role/acme-shop-production-api-task`,
        "ecs-tasks.amazonaws.com",
      ),
    ).not.toBe("Allowed");
    // It rewrites worker's rules (tagged with its service), never api's or web's.
    // A rule of the environment's ALB (its ARN suffix is known only after apply).
    const ruleArns = iam
      .role(codeDeployRole)
      .policies.flatMap((p) => p.document.Statement ?? [])
      .flatMap((st) => [st.Resource ?? []].flat())
      .filter((r): r is string => typeof r === "string" && r.includes(":listener-rule/"));
    expect(ruleArns).toHaveLength(1);
    const rule = ruleArns[0].replace(/\*$/, "listener-id/rule-id");
    const modifyRule = (tag: string) =>
      iam.can(codeDeployRole, "elasticloadbalancing:ModifyRule", rule, {
        context: { "aws:ResourceTag/BlueGreenService": tag },
      });
    expect(await modifyRule("acme-shop-production-worker")).toBe("Allowed");
    expect(await modifyRule("acme-shop-production-api")).not.toBe("Allowed");
    expect(
      await iam.can(
        codeDeployRole,
        "elasticloadbalancing:DeleteLoadBalancer",
        `arn:aws:elasticloadbalancing:eu-west-1:${PROD}:loadbalancer/app/acme-shop-production-alb/x`,
      ),
    ).not.toBe("Allowed");
  });
});

describe("blue/green resources, applied by CI's apply role", () => {
  let iam: PlatformIam;
  beforeAll(() => {
    iam = platformIam(CONFIG);
  });
  const APPLY = `arn:aws:iam::${PROD}:role/acme-shop-github-infra-apply`;
  const can = (action: string, resource: string, context: Record<string, string> = {}) =>
    iam.can(APPLY, action, resource, { context, region: "eu-west-1" });
  const codedeploy = `arn:aws:codedeploy:eu-west-1:${PROD}`;

  it("creates the project's CodeDeploy applications and groups, and passes their role to CodeDeploy only", async () => {
    expect(
      await can(
        "codedeploy:CreateApplication",
        `${codedeploy}:application:acme-shop-production-worker`,
      ),
    ).toBe("Allowed");
    expect(
      await can(
        "codedeploy:CreateDeploymentGroup",
        `${codedeploy}:deploymentgroup:acme-shop-production-worker/acme-shop-production-worker`,
      ),
    ).toBe("Allowed");
    expect(
      await can("codedeploy:CreateApplication", `${codedeploy}:application:other-app`),
    ).not.toBe("Allowed");
    // Deployments are the pipeline's: CI never starts one.
    expect(
      await can(
        "codedeploy:CreateDeployment",
        `${codedeploy}:deploymentgroup:acme-shop-production-worker/acme-shop-production-worker`,
      ),
    ).not.toBe("Allowed");
    const role = `arn:aws:iam::${PROD}:role/acme-shop-production-worker-codedeploy`;
    expect(
      await can("iam:PassRole", role, { "iam:PassedToService": "codedeploy.amazonaws.com" }),
    ).toBe("Allowed");
    expect(
      await can("iam:PassRole", role, { "iam:PassedToService": "lambda.amazonaws.com" }),
    ).not.toBe("Allowed");
  });
});

describe("blue/green config", () => {
  type Edit = {
    services: Record<string, unknown>[];
    environments: Record<string, Record<string, unknown>>;
  };
  const problems = (edit: (c: Edit) => void) =>
    configProblems((c) => edit(c as unknown as Edit)).join("\n");

  it("rejects blueGreen settings on a rolling service, a test listener on a public port, and too long a wait", () => {
    expect(
      problems((c) => {
        c.services[0].blueGreen = { terminationWaitMinutes: 10 };
      }),
    ).toMatch(/services\[0\]\.blueGreen.*applies to blue\/green services only.*deploys "rolling"/);
    expect(
      problems((c) => {
        c.environments.staging.loadBalancer = { testListener: { port: 443 } };
      }),
    ).toMatch(/testListener\.port.*80 and 443 are the public listeners/);
    expect(
      problems((c) => {
        c.environments.staging.loadBalancer = { testListener: { ingressCidrs: ["0.0.0.0/0"] } };
      }),
    ).toMatch(
      /testListener\.ingressCidrs\[0\]: "0\.0\.0\.0\/0" is not valid; the test listener serves releases/,
    );
    expect(
      problems((c) => {
        c.services[0].deployment = "blue-green";
        c.services[0].blueGreen = { terminationWaitMinutes: 2881 };
      }),
    ).toMatch(/terminationWaitMinutes/);
  });
});
