import { wildcardRegExp } from "../iam-catalog";
import { conditionsOn, stackPolicies } from "../policies";
import type { GuardRule, Violation } from "../types";

export const IAM_PASSROLE_PASSED_TO_SERVICE: GuardRule = {
  id: "IAM_PASSROLE_PASSED_TO_SERVICE",
  severity: "error",
  rationale:
    "iam:PassRole is scoped to the service that may receive the role, so a role cannot be handed anywhere.",
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      if (doc.kind !== "identity") continue;
      for (const s of doc.statements) {
        if (s.effect !== "Allow") continue;
        if (!s.actions.some((a) => wildcardRegExp(a).test("iam:PassRole"))) continue;
        if (conditionsOn(s, "iam:PassedToService").some((c) => !c.operator.includes("Not")))
          continue;
        out.push({
          address: doc.address,
          message:
            `${doc.attribute}: statement ${s.sid ?? "(no Sid)"} allows iam:PassRole without an ` +
            'iam:PassedToService condition; add Condition { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } (or the receiving service)',
        });
      }
    }
    return out;
  },
};
