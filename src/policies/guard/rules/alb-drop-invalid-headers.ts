import { applicationLoadBalancers, isTrue } from "../terraform";
import type { GuardRule } from "../types";

export const ALB_DROP_INVALID_HEADERS: GuardRule = {
  id: "ALB_DROP_INVALID_HEADERS",
  severity: "error",
  rationale: "Dropping malformed HTTP headers closes a request-smuggling path to the services.",
  check(stack) {
    return applicationLoadBalancers(stack)
      .filter((lb) => !isTrue(lb.block.drop_invalid_header_fields))
      .map((lb) => ({
        address: lb.address,
        message: "invalid header fields are forwarded; set drop_invalid_header_fields = true",
      }));
  },
};
