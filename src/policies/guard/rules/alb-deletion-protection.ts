import { applicationLoadBalancers, isTrue } from "../terraform";
import type { GuardRule } from "../types";

export const ALB_DELETION_PROTECTION: GuardRule = {
  id: "ALB_DELETION_PROTECTION",
  severity: "error",
  rationale:
    "An internet-facing load balancer (and the DNS name clients depend on) cannot be deleted by a stray destroy.",
  check(stack) {
    return applicationLoadBalancers(stack)
      .filter((lb) => !isTrue(lb.block.internal) && !isTrue(lb.block.enable_deletion_protection))
      .map((lb) => ({
        address: lb.address,
        message:
          "internet-facing load balancer without deletion protection; set enable_deletion_protection = true",
      }));
  },
};
