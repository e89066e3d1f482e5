import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { VpcEndpoints } from "../../src/constructs/vpc-endpoints";
import { resourcesOf, type StackJson } from "../helpers/synth";

describe("VpcEndpoints", () => {
  const text = Testing.synthScope((scope) => {
    new VpcEndpoints(scope, "Endpoints", {
      vpcId: "vpc-1",
      vpcCidr: "10.10.0.0/16",
      region: "eu-west-1",
      subnetIds: ["subnet-a", "subnet-b"],
      routeTableIds: ["rtb-a", "rtb-b"],
      securityGroupName: "shop-staging-endpoints",
    });
  });
  const json = JSON.parse(text) as StackJson;

  it("adds an S3 gateway endpoint to the private route tables", () => {
    expect(text).toHaveResourceWithProperties(VpcEndpoint, {
      service_name: "com.amazonaws.eu-west-1.s3",
      vpc_endpoint_type: "Gateway",
      route_table_ids: ["rtb-a", "rtb-b"],
    });
  });

  it("adds interface endpoints with private DNS for ECR, Logs, Secrets Manager and STS", () => {
    const interfaces = Object.values(resourcesOf(json, "aws_vpc_endpoint")).filter(
      (e) => e.vpc_endpoint_type === "Interface",
    );
    expect(interfaces.map((e) => e.service_name)).toEqual(
      ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"].map(
        (s) => `com.amazonaws.eu-west-1.${s}`,
      ),
    );
    expect(interfaces.every((e) => e.private_dns_enabled === true)).toBe(true);
    expect(
      interfaces.every((e) => JSON.stringify(e.subnet_ids) === '["subnet-a","subnet-b"]'),
    ).toBe(true);
  });

  it("accepts 443 from the VPC CIDR only and opens no egress", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.map((r) => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port])).toEqual([
      ["10.10.0.0/16", "tcp", 443, 443],
    ]);
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toEqual({});
  });
});
