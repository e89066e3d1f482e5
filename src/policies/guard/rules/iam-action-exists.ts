import { lookupAction } from "../iam-catalog";
import { allActions, stackPolicies } from "../policies";
import type { GuardRule, Violation } from "../types";

export const IAM_ACTION_EXISTS: GuardRule = {
  id: "IAM_ACTION_EXISTS",
  severity: "error",
  rationale:
    "Every action in a policy exists in AWS's published IAM action list; a typo silently grants nothing.",
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      const seen = new Set<string>();
      for (const statement of doc.statements) {
        for (const action of allActions(statement)) {
          if (seen.has(action)) continue;
          seen.add(action);
          if (action.includes("${")) continue; // an interpolated action cannot be checked here
          const result = lookupAction(action);
          if (result.ok) continue;
          const hint =
            result.suggestions.length > 0
              ? `; did you mean ${result.suggestions.join(", ")}?`
              : "; see the AWS Service Authorization Reference";
          out.push({
            address: doc.address,
            message: `${doc.attribute}: action "${action}" ${result.problem}${hint}`,
          });
        }
      }
    }
    return out;
  },
};
