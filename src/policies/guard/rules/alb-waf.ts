import { applicationLoadBalancers, isTrue, refersTo, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ALB_WAF: GuardRule = {
  id: "ALB_WAF",
  severity: "error",
  rationale:
    "An internet-facing load balancer sits behind an AWS WAF web ACL that filters common web exploits.",
  check(stack) {
    const associations = resources(stack, "aws_wafv2_web_acl_association");
    return applicationLoadBalancers(stack)
      .filter((lb) => !isTrue(lb.block.internal))
      .filter((lb) => !associations.some((a) => refersTo(a.block.resource_arn, lb.address)))
      .map((lb) => ({
        address: lb.address,
        message:
          "internet-facing load balancer without a WAF web ACL; associate one (aws_wafv2_web_acl_association)",
      }));
  },
};
