import { federatedPrincipals, namedPrincipalArns } from "../../iam/roles";
import { addressOf, type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

/** Resources whose policy attribute names principals, and which attribute. */
const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role: "assume_role_policy",
  aws_s3_bucket_policy: "policy",
  aws_kms_key: "policy",
  aws_kms_key_policy: "policy",
  aws_sns_topic_policy: "policy",
  aws_sqs_queue_policy: "policy",
  aws_ecr_repository_policy: "policy",
  aws_ecr_registry_policy: "policy",
  aws_secretsmanager_secret_policy: "policy",
};

/**
 * IAM validates the principals of a policy when it is set: a role or user ARN in a trust or
 * resource policy's `Principal` must exist then ("Invalid principal in policy"; ECR: "Invalid
 * parameter at 'PolicyText'"), and so must a federated OIDC provider. An ARN used only inside a
 * condition (`aws:PrincipalArn`) need not exist. A principal the platform creates must therefore
 * be created by an earlier step, or earlier in the same apply (a reference or depends_on).
 */
export const PRINCIPALS_EXIST: RehearsalRule = {
  id: "PRINCIPALS_EXIST",
  models: "principals named in trust and resource policies must exist when the policy is set",
  docs: [
    "IAM User Guide: AWS JSON policy elements: Principal (specifying IAM roles and users)",
    "IAM User Guide: Troubleshooting IAM policies (Invalid principal in policy)",
  ],
  check(context: StepContext): RehearsalFinding[] {
    const { app, step } = context;
    const findings: RehearsalFinding[] = [];
    for (const [type, attribute] of Object.entries(POLICY_ATTRIBUTES)) {
      for (const ref of app.resources(step.stack, type)) {
        const policy = app.policy(ref, attribute);
        const named = [...namedPrincipalArns(policy), ...federatedPrincipals(policy)];
        for (const arn of named) {
          const principal = context.resourceByArn(arn);
          if (!principal) continue; // not the platform's: it must exist outside it
          if (context.existsFor(principal, ref)) continue;
          findings.push(
            finding(
              PRINCIPALS_EXIST,
              step.stack,
              addressOf(ref),
              `${attribute} names ${arn} as a principal, but ${describe(principal, step.stack)}: AWS rejects the policy ("Invalid principal in policy")`,
              principal.stack === step.stack
                ? `reference ${addressOf(principal)} from the policy (or add depends_on) so it is created first`
                : `apply ${principal.stack} first, or name the account as principal and pin the role with an aws:PrincipalArn condition`,
            ),
          );
        }
      }
    }
    return findings;
  },
};

function describe(principal: ResourceRef, stack: string): string {
  return principal.stack === stack
    ? `${addressOf(principal)} is created in the same apply with nothing ordering it first`
    : `it is created by ${principal.stack}, which is not applied yet`;
}
