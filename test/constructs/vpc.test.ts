import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { FlowLogs } from "../../src/constructs/flow-logs";
import { Vpc, type VpcProps } from "../../src/constructs/vpc";
import { resourcesOf, type StackJson } from "../helpers/synth";

const AZS = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

function synthVpc(props: Partial<VpcProps> = {}): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    new Vpc(scope, "Vpc", {
      name: "shop-staging",
      cidr: "10.10.0.0/16",
      availabilityZones: AZS,
      ...props,
    });
  });
  return { text, json: JSON.parse(text) as StackJson };
}

describe("Vpc", () => {
  it("derives one public and one private subnet per AZ from the VPC CIDR", () => {
    const { json } = synthVpc();
    const subnets = Object.values(resourcesOf(json, "aws_subnet"));
    const byTier = (tier: string) =>
      subnets
        .filter((s) => (s.tags as Record<string, string>).Tier === tier)
        .map((s) => [s.availability_zone, s.cidr_block]);
    expect(byTier("public")).toEqual([
      ["eu-west-1a", "10.10.0.0/20"],
      ["eu-west-1b", "10.10.16.0/20"],
      ["eu-west-1c", "10.10.32.0/20"],
    ]);
    expect(byTier("private")).toEqual([
      ["eu-west-1a", "10.10.128.0/20"],
      ["eu-west-1b", "10.10.144.0/20"],
      ["eu-west-1c", "10.10.160.0/20"],
    ]);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
  });

  it("honours subnetNewBits", () => {
    const { text } = synthVpc({ subnetNewBits: 8, availabilityZones: AZS.slice(0, 2) });
    expect(text).toHaveResourceWithProperties(Subnet, { cidr_block: "10.10.128.0/24" });
  });

  it("puts one NAT gateway in each AZ with per-az and routes each private subnet to its own", () => {
    const { json } = synthVpc({ natGateways: "per-az" });
    const nats = Object.values(resourcesOf(json, "aws_nat_gateway"));
    expect(nats).toHaveLength(3);
    const privateRoutes = Object.entries(resourcesOf(json, "aws_route")).filter(([n]) =>
      n.includes("PrivateDefaultRoute"),
    );
    expect(new Set(privateRoutes.map(([, r]) => r.nat_gateway_id)).size).toBe(3);
  });

  it("shares one NAT gateway with single", () => {
    const { json, text } = synthVpc({ natGateways: "single" });
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "aws_eip"))).toHaveLength(1);
    const routes = Object.entries(resourcesOf(json, "aws_route")).filter(([n]) =>
      n.includes("PrivateDefaultRoute"),
    );
    expect(routes).toHaveLength(3);
    expect(new Set(routes.map(([, r]) => r.nat_gateway_id)).size).toBe(1);
    expect(text).toHaveResourceWithProperties(NatGateway, { connectivity_type: "public" });
  });

  it("defaults to a NAT gateway per AZ", () => {
    const { json } = synthVpc();
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(3);
  });

  it("routes public subnets to the internet gateway", () => {
    const { text } = synthVpc();
    expect(text).toHaveResourceWithProperties(Route, {
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: expect.stringMatching(/^\$\{aws_internet_gateway\./),
    });
  });

  it("strips every rule from the default security group", () => {
    const { text } = synthVpc();
    expect(text).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  it("needs at least two AZs", () => {
    expect(() => synthVpc({ availabilityZones: ["eu-west-1a"] })).toThrow(
      /at least 2 availability zones/,
    );
  });
});

describe("FlowLogs", () => {
  const text = Testing.synthScope((scope) => {
    new FlowLogs(scope, "FlowLogs", {
      vpcId: "vpc-1",
      logGroupName: "shop-flow-logs",
      roleName: "shop-flow-logs",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abc",
      accountId: "111111111111",
      retentionDays: 30,
    });
  });
  const json = JSON.parse(text) as StackJson;

  it("logs all traffic to an encrypted log group with retention", () => {
    expect(text).toHaveResourceWithProperties(FlowLog, {
      vpc_id: "vpc-1",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    const group = Object.values(resourcesOf(json, "aws_cloudwatch_log_group"))[0];
    expect(group).toMatchObject({
      retention_in_days: 30,
      kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/abc",
    });
  });

  it("delivers with a role limited to that log group and to this account", () => {
    const role = Object.values(resourcesOf(json, "aws_iam_role"))[0];
    const trust = JSON.parse(role.assume_role_policy as string);
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
    });
    const policy = JSON.parse(
      Object.values(resourcesOf(json, "aws_iam_role_policy"))[0].policy as string,
    );
    expect(policy.Statement[0].Resource).toEqual([
      expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn\}$/),
      expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn\}:\*$/),
    ]);
  });
});
