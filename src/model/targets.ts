import type { PlatformConfig } from "../config";
import { fitName } from "../config/naming";
import { STACK_IDS } from "./stack-ids";

/*
 * Where each part of the platform lives (accounts, regions, the roles Terraform assumes) and the
 * names other stacks derive from that, computed from the config alone.
 */

/** An AWS account and region a stack deploys into. */
export interface AwsTarget {
  readonly accountId: string;
  readonly region: string;
  /** Role Terraform assumes there. @default - the caller's credentials */
  readonly roleArn?: string;
}

/** The AWS target of an environment from config. */
export function environmentTarget(config: PlatformConfig, environment: string): AwsTarget {
  const env = config.environments[environment];
  if (!env) throw new Error(`unknown environment ${environment}`);
  return { accountId: env.accountId, region: env.region, roleArn: env.deployRoleArn };
}

/**
 * The tooling account and region: where the pipeline and the ECR repositories live. Defaults to
 * the first environment the pipeline promotes through (staging in the example).
 */
export function toolingTarget(config: PlatformConfig): AwsTarget {
  if (config.pipeline.tooling) {
    return { accountId: config.pipeline.tooling.accountId, region: config.pipeline.tooling.region };
  }
  return environmentTarget(config, config.pipeline.promotion[0]);
}

/** Every distinct AWS account the platform uses (tooling, state, environments), sorted. */
export function platformAccounts(config: PlatformConfig): string[] {
  const accounts = new Set<string>([toolingTarget(config).accountId]);
  if (config.state.backend === "s3") accounts.add(config.state.accountId);
  for (const env of Object.values(config.environments)) accounts.add(env.accountId);
  return [...accounts].sort();
}

/**
 * Promotion environments in another account than the pipeline's: each gets a
 * `pipeline-access-<env>` stack. Empty when everything runs in one account.
 */
export function pipelineAccessEnvironments(config: PlatformConfig): string[] {
  const tooling = toolingTarget(config).accountId;
  return config.pipeline.promotion.filter((env) => config.environments[env]?.accountId !== tooling);
}

/** The id of the GitHub OIDC stack of an account: `github-oidc` in the tooling account. */
export function githubOidcStackId(config: PlatformConfig, accountId: string): string {
  return accountId === toolingTarget(config).accountId
    ? STACK_IDS.githubOidc
    : STACK_IDS.githubOidcIn(accountId);
}

/** `<project>/<env>/<service>/<NAME>`: the secret an operator sets with put-secret-value. */
export function serviceSecretName(
  config: PlatformConfig,
  environment: string,
  service: string,
  key: string,
): string {
  return fitName([config.project, environment, service, key].join("/"), "secret");
}
