import { isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const LOGS_KMS: GuardRule = {
  id: "LOGS_KMS",
  severity: "error",
  rationale: "Logs can hold customer data; they are encrypted with a customer managed key.",
  check(stack) {
    return resources(stack, "aws_cloudwatch_log_group")
      .filter((g) => !isSet(g.block.kms_key_id))
      .map((g) => ({
        address: g.address,
        message:
          "log group is not encrypted with a customer key; set kms_key_id (the key policy must allow logs.<region>.amazonaws.com)",
      }));
  },
};
