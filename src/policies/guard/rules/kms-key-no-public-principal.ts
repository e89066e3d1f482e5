import { isPublicPrincipal, stackPolicies } from "../policies";
import type { GuardRule } from "../types";

export const KMS_KEY_NO_PUBLIC_PRINCIPAL: GuardRule = {
  id: "KMS_KEY_NO_PUBLIC_PRINCIPAL",
  severity: "error",
  rationale:
    "A key policy that allows principal `*` without a condition lets any AWS account use the key.",
  check(stack) {
    return stackPolicies(stack)
      .documents.filter(
        (d) => d.resourceType === "aws_kms_key" || d.resourceType === "aws_kms_key_policy",
      )
      .flatMap((d) =>
        d.statements
          .filter((s) => s.effect === "Allow" && isPublicPrincipal(s) && s.conditions.length === 0)
          .map((s) => ({
            address: d.address,
            message:
              `key policy statement ${s.sid ?? "(no Sid)"} allows principal "*" without a condition; ` +
              "name the account root or roles, or add a condition such as kms:CallerAccount",
          })),
      );
  },
};
