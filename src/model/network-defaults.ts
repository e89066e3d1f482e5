import type { EnvironmentConfig, PlatformConfig } from "../config";
import type { FargateCapacity } from "../constructs/ecs-cluster";
import type { NatGatewayStrategy } from "../constructs/vpc";

/*
 * The per-environment defaults the config leaves open, in one place so the stack, the tests and
 * the docs agree. Production gets the resilient choice, other environments the cheap one.
 */

/** One NAT gateway per AZ in production (an AZ outage stays local), a single one elsewhere. */
export function natStrategy(env: EnvironmentConfig): NatGatewayStrategy {
  return env.network.natGateways ?? (env.production ? "per-az" : "single");
}

export function wafEnabled(env: EnvironmentConfig): boolean {
  return env.loadBalancer.waf ?? env.production;
}

/** On everywhere unless switched off: a stray destroy must not delete any environment's ALB. */
export function albDeletionProtection(env: EnvironmentConfig): boolean {
  return env.loadBalancer.deletionProtection ?? true;
}

/** Staging: Spot-heavy (1 on-demand : 3 Spot). Production: on-demand only, 2 tasks as a base. */
export const DEFAULT_CAPACITY: Readonly<Record<"production" | "other", FargateCapacity>> = {
  production: { fargateBase: 2, fargateWeight: 1, fargateSpotWeight: 0 },
  other: { fargateBase: 0, fargateWeight: 1, fargateSpotWeight: 3 },
};

export function clusterCapacity(env: EnvironmentConfig): FargateCapacity {
  return env.capacity ?? DEFAULT_CAPACITY[env.production ? "production" : "other"];
}

/** The Cloud Map namespace: `<env>.<project>.internal`. */
export function namespaceName(config: PlatformConfig, environment: string): string {
  return `${environment}.${config.project}.internal`;
}

/** Each service's public hostname in an environment, by service name: `<subdomain>.<domain>`. */
export function serviceHostnames(
  config: PlatformConfig,
  environment: string,
): Record<string, string> {
  const env = config.environments[environment];
  if (!env) throw new Error(`unknown environment ${environment}`);
  return Object.fromEntries(
    config.services.map((s) => [s.name, `${s.subdomain}.${env.dns.domain}`]),
  );
}
