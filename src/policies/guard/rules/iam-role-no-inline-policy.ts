import { isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const IAM_ROLE_NO_INLINE_POLICY: GuardRule = {
  id: "IAM_ROLE_NO_INLINE_POLICY",
  severity: "error",
  rationale:
    "inline_policy and managed_policy_arns are deprecated and fight separate policy resources.",
  check(stack) {
    return resources(stack, "aws_iam_role").flatMap((r) =>
      (["inline_policy", "managed_policy_arns"] as const)
        .filter((a) => isSet(r.block[a]))
        .map((a) => ({
          address: r.address,
          message: `role sets ${a}; attach policies with aws_iam_role_policy / aws_iam_role_policy_attachment instead`,
        })),
    );
  },
};
