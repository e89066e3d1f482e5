import { resources } from "../terraform";
import type { GuardRule } from "../types";

export const LOGS_RETENTION: GuardRule = {
  id: "LOGS_RETENTION",
  severity: "error",
  rationale: "Log groups keep logs for a decided time, not forever (cost) and not by accident.",
  check(stack) {
    return resources(stack, "aws_cloudwatch_log_group")
      .filter((g) => !(Number(g.block.retention_in_days) > 0))
      .map((g) => ({
        address: g.address,
        message:
          "retention_in_days is not set (logs never expire); set it from config (logRetentionDays)",
      }));
  },
};
