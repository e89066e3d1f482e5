import type { PlatformConfig } from "../config";
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from "../policies/github-oidc-token";
import { roleArn } from "../config/naming";
import { githubRoleNames } from "./github-role-names";
import { githubSubjects } from "./github-subjects";
import { HCP_AWS_AUDIENCE, hcpRoleNames, hcpState, hcpSubject, remoteExecution } from "./hcp-names";

/** The OIDC token whose role CI's credentials are: issuer host, audience and subject. */
export interface CiToken {
  readonly host: string;
  readonly audience: string;
  readonly subject: string;
}

/**
 * The role a CI apply of `stack` runs as in `accountId`, and the token that assumes it: the
 * GitHub apply role with the deploy job's token, or with HCP Terraform remote execution the
 * account's HCP apply role with the workspace's apply-phase token.
 */
export function ciApplyIdentity(
  config: PlatformConfig,
  stack: string,
  accountId: string,
): { readonly roleArn: string; readonly token: CiToken } {
  const hcp = hcpState(config);
  if (hcp && remoteExecution(config)) {
    return {
      roleArn: roleArn(accountId, hcpRoleNames(config).apply),
      token: {
        host: hcp.hostname,
        audience: HCP_AWS_AUDIENCE,
        subject: hcpSubject(hcp, config, stack, "apply"),
      },
    };
  }
  return {
    roleArn: roleArn(accountId, githubRoleNames(config).apply),
    token: {
      host: GITHUB_OIDC_HOST,
      audience: STS_AUDIENCE,
      subject: githubSubjects(config).apply[0],
    },
  };
}
