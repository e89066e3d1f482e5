import { stackPolicies, type Statement } from "../policies";
import type { GuardRule, Violation } from "../types";

const ACCOUNT_ROOT = /^(?:arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

/** A key or resource policy delegating to an account's IAM (AWS's default key policy statement). */
function delegatesToAccount(s: Statement): boolean {
  return (
    s.principals.length > 0 &&
    s.principals.every((p) => p.type === "AWS" && p.values.every((v) => ACCOUNT_ROOT.test(v)))
  );
}

export const IAM_NO_SERVICE_WILDCARD_ACTION: GuardRule = {
  id: "IAM_NO_SERVICE_WILDCARD_ACTION",
  severity: "warning",
  rationale:
    'A whole-service wildcard ("s3:*") grants actions nobody reviewed, including future ones.',
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      for (const s of doc.statements) {
        if (s.effect !== "Allow" || delegatesToAccount(s)) continue;
        for (const action of s.actions.filter((a) => /^[A-Za-z0-9-]+:\*$/.test(a))) {
          out.push({
            address: doc.address,
            message: `${doc.attribute}: statement ${s.sid ?? "(no Sid)"} allows "${action}"; list the actions it needs`,
          });
        }
      }
    }
    return out;
  },
};
