import { stackPolicies } from "../policies";
import type { GuardRule } from "../types";

export const IAM_POLICY_READABLE: GuardRule = {
  id: "IAM_POLICY_READABLE",
  severity: "error",
  rationale:
    "Policies are plain JSON documents so that every IAM rule (and a reviewer) can read them.",
  check(stack) {
    return stackPolicies(stack).unreadable.map((u) => ({
      address: u.address,
      message: `${u.attribute} ${u.problem}`,
    }));
  },
};
