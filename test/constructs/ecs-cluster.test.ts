import { EcsCluster as AwsEcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  EcsCluster,
  capacityStrategy,
  type EcsClusterProps,
} from "../../src/constructs/ecs-cluster";
import { ServiceNamespace } from "../../src/constructs/service-namespace";
import { resourcesOf, type StackJson } from "../helpers/synth";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/abc";

function synthCluster(props: Partial<EcsClusterProps> = {}): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    new EcsCluster(scope, "Cluster", {
      name: "shop-staging-cluster",
      capacity: { fargateBase: 0, fargateWeight: 1, fargateSpotWeight: 3 },
      ...props,
    });
  });
  return { text, json: JSON.parse(text) as StackJson };
}

describe("EcsCluster", () => {
  it("turns Container Insights on", () => {
    expect(synthCluster().text).toHaveResourceWithProperties(AwsEcsCluster, {
      name: "shop-staging-cluster",
      setting: [{ name: "containerInsights", value: "enabled" }],
    });
  });

  it("registers FARGATE and FARGATE_SPOT with the given default strategy", () => {
    expect(synthCluster().text).toHaveResourceWithProperties(EcsClusterCapacityProviders, {
      capacity_providers: ["FARGATE", "FARGATE_SPOT"],
      default_capacity_provider_strategy: [
        { capacity_provider: "FARGATE", base: 0, weight: 1 },
        { capacity_provider: "FARGATE_SPOT", base: 0, weight: 3 },
      ],
    });
  });

  it("leaves Spot out of an on-demand strategy", () => {
    expect(capacityStrategy({ fargateBase: 2, fargateWeight: 1, fargateSpotWeight: 0 })).toEqual([
      { capacityProvider: "FARGATE", base: 2, weight: 1 },
    ]);
  });

  it("rejects a strategy that can place no task", () => {
    expect(() =>
      synthCluster({ capacity: { fargateBase: 1, fargateWeight: 0, fargateSpotWeight: 0 } }),
    ).toThrow(/fargateWeight or fargateSpotWeight above 0/);
  });

  it("encrypts and logs ECS Exec sessions when asked", () => {
    const { json } = synthCluster({
      kmsKeyArn: KEY,
      execLogging: { logGroupName: "shop-staging-ecs-exec", retentionDays: 14 },
    });
    const cluster = Object.values(resourcesOf(json, "aws_ecs_cluster"))[0];
    expect(cluster.configuration).toEqual({
      execute_command_configuration: {
        kms_key_id: KEY,
        logging: "OVERRIDE",
        log_configuration: {
          cloud_watch_encryption_enabled: true,
          cloud_watch_log_group_name: expect.stringMatching(/aws_cloudwatch_log_group\..*\.name/),
        },
      },
    });
    expect(Object.values(resourcesOf(json, "aws_cloudwatch_log_group"))[0]).toMatchObject({
      name: "shop-staging-ecs-exec",
      retention_in_days: 14,
      kms_key_id: KEY,
    });
  });

  it("has no exec configuration by default, and needs a key for exec logging", () => {
    const cluster = Object.values(resourcesOf(synthCluster().json, "aws_ecs_cluster"))[0];
    expect(cluster.configuration).toBeUndefined();
    expect(() => synthCluster({ execLogging: { logGroupName: "x" } })).toThrow(/needs kmsKeyArn/);
  });
});

describe("ServiceNamespace", () => {
  it("creates a private DNS namespace on the VPC", () => {
    const text = Testing.synthScope((scope) => {
      new ServiceNamespace(scope, "Ns", { name: "staging.shop.internal", vpcId: "vpc-1" });
    });
    expect(JSON.parse(text).resource.aws_service_discovery_private_dns_namespace).toBeDefined();
    expect(
      Object.values(JSON.parse(text).resource.aws_service_discovery_private_dns_namespace)[0],
    ).toMatchObject({
      name: "staging.shop.internal",
      vpc: "vpc-1",
    });
  });

  it("rejects an invalid DNS name", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new ServiceNamespace(scope, "Ns", { name: "Not A Name", vpcId: "vpc-1" });
      }),
    ).toThrow(/not a valid private DNS name/);
  });
});
