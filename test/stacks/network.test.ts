import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { ServiceDiscoveryPrivateDnsNamespace } from "@cdktf/provider-aws/lib/service-discovery-private-dns-namespace";
import { App } from "cdktf";
import { isAllowed } from "../../src/iam/simulate";
import { describe, expect, it } from "vitest";
import { NetworkStack } from "../../src/stacks/network-stack";
import { STACK_IDS } from "../../src/model/stack-ids";
import { configProblems, exampleConfig } from "../helpers/config";
import { resourceAddresses, resourcesOf, synthApp, type StackJson } from "../helpers/synth";
import { variedConfig } from "../helpers/varied-config";
import { threeByThreeConfig } from "../helpers/three-by-three";

const app = synthApp(exampleConfig());
const staging = app.stacks["network-staging"];
const production = app.stacks["network-production"];

/*
 * Every network setting the tests below vary (NAT left to the defaults, staging's ALB restricted
 * to one range, an explicit capacity, ECS Exec on, no VPC endpoints) is changed in the shared
 * varied config: one synth serves them all.
 */
const varied = synthApp(variedConfig());

function count(stack: StackJson, type: string): number {
  return Object.keys(resourcesOf(stack, type)).length;
}

describe("network stacks", () => {
  it("exist once per environment, in the environment's account", () => {
    expect(Object.keys(app.stacks)).toEqual(
      expect.arrayContaining(["network-staging", "network-production"]),
    );
    expect(staging.provider?.aws?.[0]).toMatchObject({ allowed_account_ids: ["111111111111"] });
    expect(production.provider?.aws?.[0]).toMatchObject({ allowed_account_ids: ["222222222222"] });
    expect(staging.terraform?.backend?.s3).toMatchObject({
      key: expect.stringMatching(/network-staging\.tfstate$/),
    });
  });

  it("lays out a public and a private subnet per configured AZ", () => {
    expect(count(staging, "aws_subnet")).toBe(4);
    expect(count(production, "aws_subnet")).toBe(6);
    const cidrs = Object.values(resourcesOf(production, "aws_subnet")).map((s) => s.cidr_block);
    expect(cidrs).toEqual(
      expect.arrayContaining(["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20", "10.20.128.0/20"]),
    );
  });

  it("chooses NAT gateways from config: single in staging, one per AZ in production", () => {
    expect(count(staging, "aws_nat_gateway")).toBe(1);
    expect(count(production, "aws_nat_gateway")).toBe(3);
  });

  it("defaults NAT by environment kind when the config leaves it open", () => {
    const open = varied;
    expect(count(open.stacks["network-staging"], "aws_nat_gateway")).toBe(1);
    expect(count(open.stacks["network-production"], "aws_nat_gateway")).toBe(3);
  });

  it("admits nothing from 0.0.0.0/0 except the ALB on 80 and 443", () => {
    for (const stack of [staging, production]) {
      const open = Object.entries(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).filter(
        ([, r]) => r.cidr_ipv4 === "0.0.0.0/0",
      );
      expect(open.map(([name, r]) => [name.split("_")[0], r.from_port]).sort()).toEqual([
        ["Alb", 443],
        ["Alb", 80],
      ]);
      expect(count(stack, "aws_security_group_rule")).toBe(0);
      for (const sg of Object.values(resourcesOf(stack, "aws_security_group"))) {
        expect(sg.ingress).toBeUndefined();
      }
    }
  });

  it("uses the configured ingress CIDRs for the ALB", () => {
    const restricted = varied;
    const rules = Object.values(
      resourcesOf(restricted.stacks["network-staging"], "aws_vpc_security_group_ingress_rule"),
    );
    expect(rules.filter((r) => r.cidr_ipv4 === "0.0.0.0/0")).toEqual([]);
    expect(rules.filter((r) => r.cidr_ipv4 === "203.0.113.0/24")).toHaveLength(2);
  });

  it("protects every ALB from deletion, and puts WAF in front of production's by default", () => {
    expect(app.text["network-production"]).toHaveResourceWithProperties(Lb, {
      enable_deletion_protection: true,
    });
    expect(app.text["network-staging"]).toHaveResourceWithProperties(Lb, {
      enable_deletion_protection: true,
    });
    expect(count(production, "aws_wafv2_web_acl")).toBe(1);
    expect(count(production, "aws_wafv2_web_acl_association")).toBe(1);
    expect(count(staging, "aws_wafv2_web_acl")).toBe(0);
  });

  it("certifies every service hostname with one wildcard name and aliases each to the ALB", () => {
    const cert = Object.values(resourcesOf(staging, "aws_acm_certificate"))[0];
    expect(cert.domain_name).toBe("*.staging.acme-shop.example.com");
    expect(cert.subject_alternative_names).toBeUndefined();
    const records = Object.values(resourcesOf(staging, "aws_route53_record"));
    expect(records.every((r) => r.zone_id === "Z0STAGINGZONE000001")).toBe(true);
    expect(records.filter((r) => r.type === "A").map((r) => r.name)).toEqual([
      "api.staging.acme-shop.example.com",
      "www.staging.acme-shop.example.com",
    ]);
    const listener = Object.values(resourcesOf(staging, "aws_lb_listener")).find(
      (l) => l.port === 443,
    );
    expect(listener?.certificate_arn).toMatch(
      /aws_acm_certificate_validation\..*\.certificate_arn/,
    );
  });

  it("sets the capacity strategy per environment: Spot-heavy staging, on-demand production", () => {
    expect(app.text["network-staging"]).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      default_capacity_provider_strategy: [
        { capacity_provider: "FARGATE", base: 0, weight: 1 },
        { capacity_provider: "FARGATE_SPOT", base: 0, weight: 3 },
      ],
    });
    expect(app.text["network-production"]).toHaveResourceWithProperties(
      EcsClusterCapacityProviders,
      {
        default_capacity_provider_strategy: [{ capacity_provider: "FARGATE", base: 2, weight: 1 }],
      },
    );
  });

  it("takes an explicit capacity from config", () => {
    const custom = varied;
    expect(custom.text["network-staging"]).toHaveResourceWithProperties(
      EcsClusterCapacityProviders,
      {
        default_capacity_provider_strategy: [
          { capacity_provider: "FARGATE", base: 1, weight: 0 },
          { capacity_provider: "FARGATE_SPOT", base: 0, weight: 1 },
        ],
      },
    );
  });

  it("rejects a capacity that can place no task, naming the field", () => {
    const problems = configProblems((input) => {
      const staging = (input.environments as Record<string, Record<string, unknown>>).staging;
      staging.capacity = { fargateBase: 2, fargateWeight: 0, fargateSpotWeight: 0 };
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^environments\.staging\.capacity.*fargateWeight or fargateSpotWeight must be above 0/,
      ),
    ]);
  });

  it("logs ECS Exec only where the environment enables it", () => {
    expect(count(staging, "aws_cloudwatch_log_group")).toBe(1); // flow logs only
    const exec = varied;
    const cluster = Object.values(
      resourcesOf(exec.stacks["network-staging"], "aws_ecs_cluster"),
    )[0];
    expect(cluster.configuration).toMatchObject({
      execute_command_configuration: { logging: "OVERRIDE" },
    });
  });

  it("names the Cloud Map namespace <env>.<project>.internal", () => {
    expect(app.text["network-staging"]).toHaveResourceWithProperties(
      ServiceDiscoveryPrivateDnsNamespace,
      { name: "staging.acme-shop.internal" },
    );
  });

  it("leaves the VPC endpoints out when the config turns them off", () => {
    expect(count(staging, "aws_vpc_endpoint")).toBe(6);
    const without = varied;
    expect(count(without.stacks["network-staging"], "aws_vpc_endpoint")).toBe(0);
  });

  it("lets CloudWatch Logs, alarms and EventBridge use the environment key, as AWS calls it", async () => {
    const key = Object.values(resourcesOf(staging, "aws_kms_key"))[0];
    const keyArn = "arn:aws:kms:eu-west-1:111111111111:key/k";
    const use = (principal: string, action: string, context: Record<string, string>) =>
      isAllowed({
        principal,
        action,
        resource: keyArn,
        resourceAccount: "111111111111",
        resourcePolicy: JSON.parse(key.policy as string),
        context,
      });
    const logGroup = (account: string) => ({
      "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${account}:log-group:/ecs/x`,
    });
    expect(
      await use("logs.eu-west-1.amazonaws.com", "kms:GenerateDataKey", logGroup("111111111111")),
    ).toBe(true);
    expect(
      await use("logs.eu-west-1.amazonaws.com", "kms:GenerateDataKey", logGroup("999999999999")),
    ).toBe(false);
    // Alarms send their account; another account's alarms are refused.
    const alarm = (account: string) => ({ "aws:SourceAccount": account });
    expect(
      await use("cloudwatch.amazonaws.com", "kms:GenerateDataKey", alarm("111111111111")),
    ).toBe(true);
    expect(
      await use("cloudwatch.amazonaws.com", "kms:GenerateDataKey", alarm("999999999999")),
    ).toBe(false);
    // EventBridge sends no aws:SourceAccount/aws:SourceArn to KMS when it delivers to an
    // encrypted topic: the key must allow it without them, or deployment-failure emails drop.
    expect(await use("events.amazonaws.com", "kms:GenerateDataKey", {})).toBe(true);
    expect(await use("events.amazonaws.com", "kms:Decrypt", {})).toBe(true);
    expect(await use("events.amazonaws.com", "kms:CreateGrant", {})).toBe(false);
  });

  it("fills every NetworkOutputs field", () => {
    const config = exampleConfig();
    const stack = new NetworkStack(new App(), "network-staging", {
      config,
      environment: "staging",
    });
    const { ecsExecLogGroupArn, testListenerArn, ...required } = stack.outputs;
    expect(ecsExecLogGroupArn).toBeUndefined(); // staging has no ecsExec
    expect(testListenerArn).toBeUndefined(); // no blue/green service
    for (const [field, value] of Object.entries(required)) {
      expect(value, field).toBeDefined();
      expect(value, field).not.toEqual("");
    }
    expect(stack.outputs.privateSubnetIds).toHaveLength(2);
    expect(stack.outputs).toMatchObject({
      environment: "staging",
      vpcCidr: "10.10.0.0/16",
    });
  });

  it("exports the ECS Exec log group where exec is on", () => {
    const config = exampleConfig((input) => void (input.environments.staging.ecsExec = true));
    const stack = new NetworkStack(new App(), "network-staging", {
      config,
      environment: "staging",
    });
    expect(stack.outputs.ecsExecLogGroupArn).toBeTruthy();
  });

  it("keeps its resource addresses stable", () => {
    expect(resourceAddresses(staging)).toMatchSnapshot();
  });

  it("adds network-<env> for a third environment with no code change", () => {
    // The shipped 3 x 3 config: the example plus a qa environment (10.30.0.0/16, NAT gateways left
    // to the default).
    const three = synthApp(threeByThreeConfig());
    const qa = three.stacks[STACK_IDS.network("qa")];
    expect(qa).toBeDefined();
    expect(Object.values(resourcesOf(qa, "aws_vpc"))[0]).toMatchObject({
      cidr_block: "10.30.0.0/16",
    });
    expect(qa.terraform?.backend?.s3).toMatchObject({
      key: expect.stringMatching(/network-qa\.tfstate$/),
    });
    expect(count(qa, "aws_nat_gateway")).toBe(1);
  });
});
