import type { PlatformConfig } from "../config";
import { environmentTarget, platformAccounts, toolingTarget, type AwsTarget } from "./targets";

/**
 * Every platform account with the target a provider uses there, tooling account first: the
 * tooling target in the tooling account; elsewhere the first environment that lives in the
 * account (its region and deploy role), else the state account's region.
 */
export function accountTargets(config: PlatformConfig): AwsTarget[] {
  const tooling = toolingTarget(config);
  const others = platformAccounts(config).filter((a) => a !== tooling.accountId);
  return [tooling, ...others.map((accountId) => targetInAccount(config, accountId))];
}

function targetInAccount(config: PlatformConfig, accountId: string): AwsTarget {
  const env = Object.keys(config.environments).find(
    (name) => config.environments[name].accountId === accountId,
  );
  if (env) return environmentTarget(config, env);
  if (config.state.backend === "s3" && config.state.accountId === accountId) {
    return { accountId, region: config.state.region };
  }
  throw new Error(`account ${accountId} is not a platform account`);
}

/** The regions the platform uses in one account (tooling, state, environments), sorted. */
export function accountRegions(config: PlatformConfig, accountId: string): string[] {
  const regions = new Set<string>();
  const tooling = toolingTarget(config);
  if (tooling.accountId === accountId) regions.add(tooling.region);
  if (config.state.backend === "s3" && config.state.accountId === accountId) {
    regions.add(config.state.region);
  }
  for (const env of Object.values(config.environments)) {
    if (env.accountId === accountId) regions.add(env.region);
  }
  return [...regions].sort();
}
