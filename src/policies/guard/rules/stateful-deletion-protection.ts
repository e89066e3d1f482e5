import { isTrue, resources } from "../terraform";
import type { GuardRule, Violation } from "../types";

export const STATEFUL_DELETION_PROTECTION: GuardRule = {
  id: "STATEFUL_DELETION_PROTECTION",
  severity: "error",
  rationale:
    "Where AWS offers deletion protection or a recovery window for stateful resources, it is on.",
  check(stack) {
    const out: Violation[] = [];
    for (const r of resources(stack, "aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster")) {
      if (!isTrue(r.block.deletion_protection)) {
        out.push({ address: r.address, message: "set deletion_protection = true" });
      }
    }
    for (const r of resources(stack, "aws_dynamodb_table")) {
      if (!isTrue(r.block.deletion_protection_enabled)) {
        out.push({ address: r.address, message: "set deletion_protection_enabled = true" });
      }
    }
    for (const r of resources(stack, "aws_secretsmanager_secret")) {
      if (
        Number(r.block.recovery_window_in_days) === 0 &&
        r.block.recovery_window_in_days !== undefined
      ) {
        out.push({
          address: r.address,
          message:
            "recovery_window_in_days = 0 deletes the secret immediately; keep the default 30 (7 at least)",
        });
      }
    }
    return out;
  },
};
