import type { HcpState, PlatformConfig } from "../config";
import { Naming } from "../config/naming";

/*
 * HCP Terraform dynamic provider credentials for AWS, as HashiCorp documents them
 * (developer.hashicorp.com/terraform/cloud-docs/dynamic-provider-credentials/aws-configuration
 * and .../workload-identity-tokens):
 * - the issuer is `https://<hostname>` (app.terraform.io for HCP Terraform); IAM condition keys
 *   name it without the scheme: `<hostname>:aud`, `<hostname>:sub`;
 * - the audience is `aws.workload.identity` unless TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE changes it;
 * - the subject is `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>`,
 *   names as written (spaces included), phase `plan` or `apply`;
 * - a workspace turns them on with TFC_AWS_PROVIDER_AUTH=true and names the roles with
 *   TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN (or one TFC_AWS_RUN_ROLE_ARN for both);
 * - with one credential per workspace (one account per stack, as here) the AWS provider block
 *   needs no change: only the `[_TAG]` multiple-configuration form needs `shared_config_files`.
 */

/** The audience HCP Terraform requests for AWS unless a workspace overrides it. */
export const HCP_AWS_AUDIENCE = "aws.workload.identity";

export type RunPhase = "plan" | "apply";

/** The HCP state settings, or undefined with the S3 backend. */
export function hcpState(config: PlatformConfig): HcpState | undefined {
  return config.state.backend === "hcp" ? config.state : undefined;
}

/** Whether the stacks CI deploys run in HCP Terraform with dynamic credentials. */
export function remoteExecution(config: PlatformConfig): boolean {
  return hcpState(config)?.execution === "remote";
}

/** The HCP Terraform project holding every workspace. */
export function hcpProjectName(state: HcpState, config: PlatformConfig): string {
  return state.project ?? config.project;
}

/** The workspace that holds a stack: `<prefix><stack id>`. */
export function hcpWorkspaceName(state: HcpState, config: PlatformConfig, stackId: string): string {
  return `${state.workspacePrefix ?? `${config.project}-`}${stackId}`;
}

/** The `sub` of a run's workload identity token. */
export function hcpSubject(
  state: HcpState,
  config: PlatformConfig,
  stackId: string,
  phase: RunPhase,
): string {
  return [
    `organization:${state.organization}`,
    `project:${hcpProjectName(state, config)}`,
    `workspace:${hcpWorkspaceName(state, config, stackId)}`,
    `run_phase:${phase}`,
  ].join(":");
}

/** The per-account roles remote runs assume (same names in every account). */
export function hcpRoleNames(config: PlatformConfig): {
  readonly plan: string;
  readonly apply: string;
} {
  const naming = new Naming(config.project);
  return {
    plan: naming.name("hcp-plan", "iamRole"),
    apply: naming.name("hcp-apply", "iamRole"),
  };
}
