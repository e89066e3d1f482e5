import { policyDocument, type PolicyDocument } from "../policies/document";

/**
 * The trust policy of a role HCP Terraform runs assume: only `sts:AssumeRoleWithWebIdentity`,
 * only through this account's provider for the HCP host, only for tokens minted for `audience`,
 * and only for the exact subjects given (organization, project, workspace and run phase, see
 * src/model/hcp-names.ts). StringEquals, never StringLike: a plan-phase token cannot match an
 * apply role, and no other organization, project or workspace matches at all.
 */
export function hcpTrustPolicy(
  providerArn: string,
  host: string,
  audience: string,
  subjects: readonly string[],
): PolicyDocument {
  if (subjects.length === 0) throw new Error(`an HCP Terraform role needs at least one subject`);
  return policyDocument({
    Sid: "HcpTerraformRuns",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${host}:aud`]: audience,
        [`${host}:sub`]: [...subjects].sort(),
      },
    },
  });
}
