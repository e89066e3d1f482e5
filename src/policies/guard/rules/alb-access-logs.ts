import { applicationLoadBalancers, block, isSet, isTrue } from "../terraform";
import type { GuardRule } from "../types";

export const ALB_ACCESS_LOGS: GuardRule = {
  id: "ALB_ACCESS_LOGS",
  severity: "error",
  rationale: "Access logs are the record of who called what, for incidents and audits.",
  check(stack) {
    return applicationLoadBalancers(stack)
      .filter((lb) => {
        const logs = block(lb.block.access_logs);
        return !isTrue(logs?.enabled) || !isSet(logs?.bucket);
      })
      .map((lb) => ({
        address: lb.address,
        message:
          "access logs are off; set access_logs { enabled = true, bucket = <SSE-S3 log bucket> }",
      }));
  },
};
