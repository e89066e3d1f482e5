import { AmplifyApp } from "@cdktf/provider-aws/lib/amplify-app";
import { AmplifyBranch } from "@cdktf/provider-aws/lib/amplify-branch";
import { AmplifyDomainAssociation } from "@cdktf/provider-aws/lib/amplify-domain-association";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { EcrOutputs, NetworkOutputs, SecretsOutputs } from "../../src/stacks/contracts";
import { ServicesStack } from "../../src/stacks/services-stack";
import { exampleConfig } from "../helpers/config";
import { resourceAddresses, resourcesOf, synthApp, type StackJson } from "../helpers/synth";
import { threeByThreeConfig } from "../helpers/three-by-three";

const app = synthApp(exampleConfig());
const staging = app.stacks["services-staging"];
const production = app.stacks["services-production"];

function byName(stack: StackJson, type: string, nameKey = "name") {
  return Object.fromEntries(
    Object.values(resourcesOf(stack, type)).map((r) => [String(r[nameKey]), r]),
  );
}

function containerOf(stack: StackJson, family: string): Record<string, unknown> {
  const td = byName(stack, "aws_ecs_task_definition", "family")[family];
  return (JSON.parse(String(td.container_definitions)) as Record<string, unknown>[])[0];
}

describe("services-<env> stacks in the app", () => {
  it("exist per environment and depend on their network and secrets stacks and the ecr stack", () => {
    expect(app.dependencies["services-staging"].sort()).toEqual([
      "ecr",
      "network-staging",
      "secrets-staging",
    ]);
    expect(app.dependencies["services-production"].sort()).toEqual([
      "ecr",
      "network-production",
      "secrets-production",
    ]);
  });

  it("place each service in the environment's cluster from the network stack's outputs", () => {
    for (const service of Object.values(resourcesOf(staging, "aws_ecs_service"))) {
      expect(service.cluster).toMatch(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network-staging\.outputs\./,
      );
    }
  });

  it("start each service on the pipeline's source tag of its own repository", () => {
    const container = containerOf(staging, "acme-shop-staging-api");
    expect(container.image).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-ecr\.outputs\.[^}]+\}:release$/,
    );
  });
});

describe("secrets-staging", () => {
  const secretsStack = app.stacks["secrets-staging"];

  it("creates each configured secret, KMS-encrypted and protected, without a value", () => {
    const secrets = byName(secretsStack, "aws_secretsmanager_secret");
    expect(Object.keys(secrets).sort()).toEqual([
      "acme-shop/staging/api/DATABASE_URL",
      "acme-shop/staging/api/STRIPE_API_KEY",
    ]);
    expect(app.text["secrets-staging"]).toHaveResourceWithProperties(SecretsmanagerSecret, {
      name: "acme-shop/staging/api/STRIPE_API_KEY",
      recovery_window_in_days: 30,
      kms_key_id: expect.stringMatching(/network-staging\.outputs\./),
      lifecycle: { prevent_destroy: true },
    });
    expect(secretsStack.resource?.aws_secretsmanager_secret_version).toBeUndefined();
    // Not in the services stack: tasks start when it is applied, so the values come first.
    expect(staging.resource?.aws_secretsmanager_secret).toBeUndefined();
    expect(app.dependencies["secrets-staging"]).toEqual(["network-staging"]);
  });
});

describe("services-staging", () => {
  it("injects the secrets by the ARNs of the secrets stack's secrets, never as plain environment", () => {
    const container = containerOf(staging, "acme-shop-staging-api");
    const fromSecretsStack = expect.stringMatching(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-secrets-staging\.outputs\.cross-stack-output-aws_secretsmanager_secretapi_Secret-\w+arn\}$/,
    );
    expect(container.secrets).toEqual([
      { name: "DATABASE_URL", valueFrom: fromSecretsStack },
      { name: "STRIPE_API_KEY", valueFrom: fromSecretsStack },
    ]);
    expect(String((container.secrets as { valueFrom: string }[])[0].valueFrom)).toContain(
      "DATABASE_URL",
    );
    expect(container.environment).toEqual([{ name: "LOG_LEVEL", value: "info" }]);
  });

  it("has the six alarms per service and the ALB 5xx alarm, all notifying the topic", () => {
    const alarms = byName(staging, "aws_cloudwatch_metric_alarm", "alarm_name");
    for (const service of ["api", "web"]) {
      for (const what of [
        "target-5xx",
        "latency-p99",
        "unhealthy-hosts",
        "cpu-high",
        "memory-high",
        "running-below-desired",
      ]) {
        expect(alarms).toHaveProperty([`acme-shop-staging-${service}-${what}`]);
      }
    }
    expect(alarms).toHaveProperty(["acme-shop-staging-alb-5xx"]);
    expect(Object.keys(alarms)).toHaveLength(13);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([
        expect.stringMatching(/^\$\{aws_sns_topic\..*\.arn\}$/),
      ]);
    }
  });

  it("rolls a service back when its 5xx or unhealthy-host alarm fires during a deployment", () => {
    const service = byName(staging, "aws_ecs_service")["acme-shop-staging-api"];
    expect(service.alarms).toEqual({
      alarm_names: [
        expect.stringMatching(/aws_cloudwatch_metric_alarm\.api_Alarms_Target5xx_.*\.alarm_name/),
        expect.stringMatching(
          /aws_cloudwatch_metric_alarm\.api_Alarms_UnhealthyHosts_.*\.alarm_name/,
        ),
      ],
      enable: true,
      rollback: true,
    });
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
  });

  it("emails the approvers when the environment names no alarm emails", () => {
    const endpoints = Object.values(resourcesOf(staging, "aws_sns_topic_subscription")).map(
      (s) => s.endpoint,
    );
    expect(endpoints.sort()).toEqual([
      "cto@acme-shop.example.com",
      "release-admin@acme-shop.example.com",
    ]);
  });

  it("routes each service's hostname on the HTTPS listener with distinct priorities", () => {
    const rules = Object.values(resourcesOf(staging, "aws_lb_listener_rule"));
    expect(rules.map((r) => r.condition)).toEqual([
      [{ host_header: { values: ["api.staging.acme-shop.example.com"] } }],
      [{ host_header: { values: ["www.staging.acme-shop.example.com"] } }],
    ]);
    const priorities = rules.map((r) => r.priority as number);
    expect(new Set(priorities).size).toBe(2);
    for (const p of priorities) expect(p).toBeGreaterThanOrEqual(10000);
  });

  it("can replace a target group (e.g. a new container port) while its rule still uses it", () => {
    const groups = byName(staging, "aws_lb_target_group");
    expect(Object.keys(groups).sort()).toEqual([
      "acme-shop-staging-api-8080",
      "acme-shop-staging-web-3000",
    ]);
    for (const group of Object.values(groups)) {
      expect(group.lifecycle).toEqual({ create_before_destroy: true });
    }
  });

  // ELB rejects a priority another rule of the listener holds (PriorityInUse), and Terraform
  // updates the rules in parallel: priorities that follow the position in services[] make an
  // apply fail as soon as a service is inserted, removed or moved. Each keeps its own.
  it("keeps each service's listener rule priority when services are added, removed or reordered", () => {
    const byHost = (stack: StackJson) =>
      Object.fromEntries(
        Object.values(resourcesOf(stack, "aws_lb_listener_rule")).map((r) => [
          (r.condition as { host_header: { values: string[] } }[])[0].host_header.values[0],
          r.priority,
        ]),
      );
    const before = byHost(staging);
    const changed = synthApp(
      exampleConfig((input) => {
        const [api, web] = input.services;
        input.services = [
          { ...api, name: "auth", subdomain: "auth", minCount: 2, desiredCount: 2 },
          web,
          api,
        ] as typeof input.services;
      }),
    ).stacks["services-staging"];
    const after = byHost(changed);
    expect(Object.keys(after)).toHaveLength(3);
    for (const host of Object.keys(before)) expect(after[host], host).toBe(before[host]);
    expect(new Set(Object.values(after)).size).toBe(3);
  });

  it("connects the Amplify app with the sensitive token variable, never a literal", () => {
    expect(staging.variable?.amplify_github_token).toEqual(
      expect.objectContaining({ type: "string", sensitive: true, nullable: false }),
    );
    expect(staging.variable?.amplify_github_token).not.toHaveProperty("default");
    expect(app.text["services-staging"]).toHaveResourceWithProperties(AmplifyApp, {
      repository: "https://github.com/acme-shop/shop-web",
      access_token: "${var.amplify_github_token}",
      platform: "WEB",
    });
    expect(app.text["services-staging"]).toHaveResourceWithProperties(AmplifyBranch, {
      branch_name: "develop",
      stage: "DEVELOPMENT",
      framework: "React",
    });
    expect(app.text["services-staging"]).toHaveResourceWithProperties(AmplifyDomainAssociation, {
      domain_name: "staging.acme-shop.example.com",
      sub_domain: [expect.objectContaining({ prefix: "app" })],
    });
    const outputs = JSON.stringify(staging.output ?? {});
    expect(outputs).not.toContain("amplify_github_token");
  });

  it("creates the static assets bucket, encrypted with the environment key", () => {
    expect(app.text["services-staging"]).toHaveResourceWithProperties(S3Bucket, {
      bucket: "acme-shop-staging-static-assets-111111111111",
      lifecycle: { prevent_destroy: true },
    });
  });

  it("keeps its resource addresses (a rename destroys and recreates)", () => {
    expect(resourceAddresses(staging)).toMatchSnapshot();
  });
});

describe("services-production", () => {
  it("scales between the production overrides' bounds", () => {
    const text = app.text["services-production"];
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, {
      resource_id: expect.stringMatching(/aws_ecs_service\.api_Service_.*\.name\}$/),
      min_capacity: 2,
      max_capacity: 10,
    });
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, {
      resource_id: expect.stringMatching(/aws_ecs_service\.web_Service_.*\.name\}$/),
      min_capacity: 2,
      max_capacity: 6,
    });
    const api = byName(production, "aws_ecs_service")["acme-shop-production-api"];
    expect(api.desired_count).toBe(2);
    expect(
      byName(production, "aws_ecs_task_definition", "family")["acme-shop-production-api"],
    ).toMatchObject({
      cpu: "512",
      memory: "1024",
    });
  });

  it("deploys the production branch as a PRODUCTION Amplify stage on the apex domain", () => {
    expect(app.text["services-production"]).toHaveResourceWithProperties(AmplifyBranch, {
      branch_name: "main",
      stage: "PRODUCTION",
    });
    expect(app.text["services-production"]).toHaveResourceWithProperties(AmplifyDomainAssociation, {
      domain_name: "acme-shop.example.com",
    });
  });
});

describe("ServicesStack on hand-made inputs", () => {
  const network: NetworkOutputs = {
    environment: "staging",
    vpcId: "vpc-0123456789abcdef0",
    vpcCidr: "10.10.0.0/16",
    privateSubnetIds: ["subnet-a", "subnet-b"],
    albArnSuffix: "app/alb/1",
    albSecurityGroupId: "sg-alb",
    httpsListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/alb/1/2",
    clusterName: "acme-shop-staging-cluster",
    clusterArn: "arn:aws:ecs:eu-west-1:111111111111:cluster/acme-shop-staging-cluster",
    namespaceId: "ns-0123",
    kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/env",
  };
  const repo = (name: string) => ({
    name: `acme-shop/${name}`,
    arn: `arn:aws:ecr:eu-west-1:111111111111:repository/acme-shop/${name}`,
    url: `111111111111.dkr.ecr.eu-west-1.amazonaws.com/acme-shop/${name}`,
  });
  const ecr: EcrOutputs = {
    repositories: { api: repo("api"), web: repo("web") },
    kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/ecr",
  };
  const secrets: SecretsOutputs = {
    environment: "staging",
    secretArns: {
      api: {
        DATABASE_URL: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf",
        STRIPE_API_KEY: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:stripe-AbCdEf",
      },
    },
  };

  it("exposes each service's names and roles for the pipeline", () => {
    const stack = new ServicesStack(Testing.app(), "services-staging", {
      config: exampleConfig(),
      environment: "staging",
      network,
      ecr,
      secrets,
    });
    expect(Object.keys(stack.outputs.services)).toEqual(["api", "web"]);
    expect(stack.outputs.services.api).toMatchObject({
      name: "api",
      containerName: "api",
      clusterName: "acme-shop-staging-cluster",
      url: "https://api.staging.acme-shop.example.com",
    });
    expect(stack.outputs.environment).toBe("staging");
  });

  it("fails clearly when the ecr outputs lack a service's repository", () => {
    expect(
      () =>
        new ServicesStack(Testing.app(), "services-staging", {
          config: exampleConfig(),
          environment: "staging",
          network,
          ecr: { ...ecr, repositories: { api: repo("api") } },
          secrets,
        }),
    ).toThrow(/no repository for service "web"/);
  });
});

describe("3 services x 3 environments", () => {
  const big = synthApp(threeByThreeConfig());

  it("synthesizes a services stack per environment with three services each", () => {
    for (const env of ["staging", "production", "qa"]) {
      const stack = big.stacks[`services-${env}`];
      expect(Object.keys(resourcesOf(stack, "aws_ecs_service"))).toHaveLength(3);
      expect(Object.keys(resourcesOf(stack, "aws_cloudwatch_metric_alarm"))).toHaveLength(19);
      const priorities = Object.values(resourcesOf(stack, "aws_lb_listener_rule")).map(
        (r) => r.priority,
      );
      expect(new Set(priorities).size).toBe(3);
    }
  });

  it("applies qa's overrides, alarm emails and ECS Exec", () => {
    const qa = big.stacks["services-qa"];
    expect(byName(qa, "aws_ecs_task_definition", "family")["acme-shop-qa-worker"]).toMatchObject({
      cpu: "256",
      memory: "512",
      runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "ARM64" },
    });
    expect(big.text["services-qa"]).toHaveResourceWithProperties(SnsTopicSubscription, {
      endpoint: "qa-oncall@acme-shop.example.com",
    });
    expect(Object.keys(resourcesOf(qa, "aws_sns_topic_subscription"))).toHaveLength(1);
    for (const service of Object.values(resourcesOf(qa, "aws_ecs_service"))) {
      expect(service.enable_execute_command).toBe(true);
    }
    const worker = containerOf(qa, "acme-shop-qa-worker");
    expect(worker.environment).toEqual([{ name: "QUEUE_NAME", value: "jobs-qa" }]);
    expect((worker.healthCheck as { command: string[] }).command[1]).toMatch(/^wget /);
  });
});
