import { conditionsOn, stackPolicies } from "../policies";
import type { GuardRule, Violation } from "../types";

/** Condition keys that tie a service's request to this account's resources. */
const SOURCE_KEYS = ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"];

/**
 * Services that send none of the source keys when they assume a role, so a condition on them
 * would only break the role (EC2 instance profiles).
 */
const NO_SOURCE_CONTEXT = new Set(["ec2.amazonaws.com"]);

export const IAM_SERVICE_TRUST_SCOPED: GuardRule = {
  id: "IAM_SERVICE_TRUST_SCOPED",
  severity: "error",
  rationale:
    "A role an AWS service assumes pins aws:SourceAccount or aws:SourceArn, so the service cannot be used as a confused deputy for another account's resources.",
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      if (doc.kind !== "trust") continue;
      for (const s of doc.statements) {
        if (s.effect !== "Allow") continue;
        const services = s.principals
          .filter((p) => p.type === "Service")
          .flatMap((p) => p.values)
          .filter((v) => !NO_SOURCE_CONTEXT.has(v));
        if (services.length === 0) continue;
        const scoped = SOURCE_KEYS.some((key) =>
          conditionsOn(s, key).some((c) => !c.operator.includes("Not") && c.values.length > 0),
        );
        if (scoped) continue;
        out.push({
          address: doc.address,
          message:
            `trust policy statement ${s.sid ?? "(no Sid)"} lets ${services.join(", ")} assume the role ` +
            "from any account: add a StringEquals aws:SourceAccount (and, where the service sends it, an ArnLike aws:SourceArn) condition",
        });
      }
    }
    return out;
  },
};
