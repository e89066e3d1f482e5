import type { CapacityProviderStrategyItem } from "../constructs/fargate-service";
import type { FargateCapacity } from "../constructs/ecs-cluster";

/**
 * A service's own capacity provider strategy, when the cluster's default does not fit it:
 * Fargate Spot runs only X86_64 tasks ("Linux tasks with the ARM64 architecture don't support
 * the Fargate Spot capacity provider", Amazon ECS Developer Guide, "AWS Fargate capacity
 * providers"), so an ARM64 service in a cluster whose default places tasks on FARGATE_SPOT gets
 * FARGATE only, with the cluster's base. Undefined: the cluster's default applies.
 */
export function serviceCapacityStrategy(
  architecture: "X86_64" | "ARM64",
  cluster: FargateCapacity,
): CapacityProviderStrategyItem[] | undefined {
  if (architecture !== "ARM64" || cluster.fargateSpotWeight === 0) return undefined;
  return [
    {
      capacityProvider: "FARGATE",
      base: cluster.fargateBase,
      weight: Math.max(1, cluster.fargateWeight),
    },
  ];
}
