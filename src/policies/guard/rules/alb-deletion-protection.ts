import { applicationLoadBalancers, isProductionResource, isTrue } from "../terraform";
import type { GuardRule } from "../types";

export const ALB_DELETION_PROTECTION: GuardRule = {
  id: "ALB_DELETION_PROTECTION",
  severity: "error",
  rationale:
    "A production load balancer (and its DNS name clients depend on) cannot be deleted by a stray destroy.",
  check(stack, context) {
    return applicationLoadBalancers(stack)
      .filter(
        (lb) => isProductionResource(lb, context) && !isTrue(lb.block.enable_deletion_protection),
      )
      .map((lb) => ({
        address: lb.address,
        message:
          "production load balancer without deletion protection; set enable_deletion_protection = true",
      }));
  },
};
