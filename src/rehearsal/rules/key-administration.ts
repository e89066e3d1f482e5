import { decide } from "../../iam/simulate";
import { addressOf, type PolicyJson } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

/**
 * On a CI step, the apply role creates each KMS key of the stack and then administers it:
 * - CreateKey with the provider's default tags needs kms:CreateKey and kms:TagResource;
 * - KMS refuses a key policy that would not let the caller change it later ("the new key policy
 *   will not allow you to update the key policy in the future": the lockout safety check), so the
 *   key policy must allow the caller kms:PutKeyPolicy;
 * - right after creation the provider enables rotation and creates the alias on the key, which
 *   the key policy must allow (an IAM statement conditioned on the key's tags may not apply yet:
 *   tag changes take up to five minutes to affect authorization).
 */
export const KEY_ADMINISTRATION: RehearsalRule = {
  id: "KEY_ADMINISTRATION",
  models: "CI's apply role can create each key and administer it through its key policy",
  docs: [
    "AWS KMS API Reference: CreateKey (BypassPolicyLockoutSafetyCheck, Tags)",
    "AWS KMS Developer Guide: Tagging permissions; ABAC for AWS KMS (up to five minutes to take effect)",
  ],
  async check(context: StepContext): Promise<RehearsalFinding[]> {
    const { app, step } = context;
    if (step.firstApply !== "ci" || !step.roleArn) return [];
    const ci = context.roles.get(step.roleArn);
    if (!ci) return [];
    const boundaryRef = ci.boundaryArn ? context.resourceByArn(ci.boundaryArn) : undefined;
    const boundary = boundaryRef ? (app.policy(boundaryRef, "policy") as PolicyJson) : undefined;
    const tags = defaultTags(context);
    const findings: RehearsalFinding[] = [];
    for (const key of app.resources(step.stack, "aws_kms_key")) {
      const keyArn = app.attribute(key, "arn");
      const keyPolicy = app.policy(key, "policy");
      const request = (action: string, resource: string, withKeyPolicy: boolean) =>
        decide({
          principal: ci.arn,
          action,
          resource,
          resourceAccount: ci.accountId,
          region: app.placement(key).region,
          identityPolicies: ci.policies.map((p) => p.document),
          boundary,
          ...(withKeyPolicy && keyPolicy ? { resourcePolicy: keyPolicy } : {}),
          context: {
            "aws:RequestTag/Project": tags.Project ?? "",
            "aws:TagKeys": Object.keys(tags),
          },
        });
      const checks: [string, string, boolean, string][] = [
        ["kms:CreateKey", "*", false, "CreateKey is denied"],
        ["kms:TagResource", keyArn, true, "tagging the new key at creation is denied"],
        [
          "kms:PutKeyPolicy",
          keyArn,
          true,
          "the key policy would lock the caller out; CreateKey fails the lockout safety check",
        ],
        ["kms:EnableKeyRotation", keyArn, true, "enabling rotation right after creation is denied"],
      ];
      for (const [action, resource, withKeyPolicy, effect] of checks) {
        const decision = await request(action, resource, withKeyPolicy);
        if (decision === "Allowed") continue;
        findings.push(
          finding(
            KEY_ADMINISTRATION,
            step.stack,
            addressOf(key),
            `${ci.arn}: ${action} ${decision}: ${effect}`,
            "let the account's CI apply role administer platform keys through their key policy, and create them with the platform's tags",
          ),
        );
      }
    }
    return findings;
  },
};

/** The stack's default tags (the default provider's), as AWS receives them on create. */
function defaultTags(context: StepContext): Record<string, string> {
  const provider = (context.app.document(context.step.stack).provider?.aws ?? []).find(
    (p) => p.alias === undefined,
  );
  const blocks = (provider?.default_tags as { tags?: Record<string, string> }[] | undefined) ?? [];
  return Object.assign({}, ...blocks.map((b) => b.tags ?? {})) as Record<string, string>;
}
