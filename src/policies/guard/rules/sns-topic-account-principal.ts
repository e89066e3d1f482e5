import { stackPolicies } from "../policies";
import type { GuardRule, Violation } from "../types";

const ACCOUNT = /^(arn:aws[\w-]*:iam::\d{12}:root|\d{12})$/;

export const SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED: GuardRule = {
  id: "SNS_TOPIC_ACCOUNT_PRINCIPAL_CONDITIONED",
  severity: "error",
  rationale:
    "A topic policy that allows a whole account names a condition too, so it grants what it means and no more.",
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      if (doc.kind !== "resource" || !doc.resourceType.startsWith("aws_sns_topic")) continue;
      for (const s of doc.statements) {
        if (s.effect !== "Allow" || s.conditions.length > 0) continue;
        const accounts = s.principals
          .filter((p) => p.type === "AWS")
          .flatMap((p) => p.values)
          .filter((v) => ACCOUNT.test(v));
        if (accounts.length === 0) continue;
        out.push({
          address: doc.address,
          message: `${doc.attribute}: statement ${s.sid ?? "(no Sid)"} allows account ${accounts.join(", ")} without a condition; pin it (aws:PrincipalAccount, aws:SourceAccount or aws:PrincipalArn)`,
        });
      }
    }
    return out;
  },
};
