import { stackPolicies } from "../policies";
import type { GuardRule, Violation } from "../types";

export const IAM_NO_WILDCARD_ACTION: GuardRule = {
  id: "IAM_NO_WILDCARD_ACTION",
  severity: "error",
  rationale: 'Allow statements name their actions: no "*" and no Allow with NotAction.',
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      for (const s of doc.statements) {
        if (s.effect !== "Allow") continue;
        if (s.actions.includes("*")) {
          out.push({
            address: doc.address,
            message: `${doc.attribute}: statement ${s.sid ?? "(no Sid)"} allows Action "*"; list the actions it needs`,
          });
        }
        if (s.notActions.length > 0) {
          out.push({
            address: doc.address,
            message: `${doc.attribute}: statement ${s.sid ?? "(no Sid)"} is Allow with NotAction (allows everything else); list the allowed actions instead`,
          });
        }
      }
    }
    return out;
  },
};
