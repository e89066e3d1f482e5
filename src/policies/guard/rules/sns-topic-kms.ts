import { isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const SNS_TOPIC_KMS: GuardRule = {
  id: "SNS_TOPIC_KMS",
  severity: "error",
  rationale: "Messages at rest in SNS are encrypted with a customer managed key.",
  check(stack) {
    return resources(stack, "aws_sns_topic")
      .filter((t) => !isSet(t.block.kms_master_key_id))
      .map((t) => ({
        address: t.address,
        message:
          "topic is not encrypted; set kms_master_key_id to a customer key that lets the publishing services use it",
      }));
  },
};
