import type { PlatformConfig } from "../config";
import { Naming } from "../config/naming";

/**
 * Names of the GitHub OIDC roles. Each platform account has a plan and an apply role of the same
 * name, so other stacks (the state bucket's policy) can name them before they exist.
 */
export function githubRoleNames(config: PlatformConfig): {
  readonly plan: string;
  readonly apply: string;
  readonly publisher: string;
} {
  const naming = new Naming(config.project);
  return {
    plan: naming.name("github-infra-plan", "iamRole"),
    apply: naming.name("github-infra-apply", "iamRole"),
    publisher: naming.name("github-image-publisher", "iamRole"),
  };
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * The ARN of a role named in advance in an environment's account (execution roles, deploy
 * roles): other stacks grant it access before the role exists, without a cross-stack reference.
 */
export function environmentRoleArn(
  config: PlatformConfig,
  environment: string,
  roleName: string,
): string {
  const env = config.environments[environment];
  if (!env) throw new Error(`unknown environment ${environment}`);
  return roleArn(env.accountId, roleName);
}
