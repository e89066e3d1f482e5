import { refersTo, resources } from "../terraform";
import type { GuardRule } from "../types";

export const VPC_FLOW_LOGS: GuardRule = {
  id: "VPC_FLOW_LOGS",
  severity: "error",
  rationale: "Flow logs record accepted and rejected traffic for incident response.",
  check(stack) {
    const logs = resources(stack, "aws_flow_log");
    return resources(stack, "aws_vpc")
      .filter((vpc) => !logs.some((l) => refersTo(l.block.vpc_id, vpc.address)))
      .map((vpc) => ({
        address: vpc.address,
        message:
          "VPC has no aws_flow_log; add one (traffic_type ALL) to an encrypted log group with retention",
      }));
  },
};
