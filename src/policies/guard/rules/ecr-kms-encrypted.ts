import { block, isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECR_KMS_ENCRYPTED: GuardRule = {
  id: "ECR_KMS_ENCRYPTED",
  severity: "error",
  rationale:
    "Images are encrypted with a customer managed key whose policy this platform controls.",
  check(stack) {
    return resources(stack, "aws_ecr_repository")
      .filter((r) => {
        const enc = block(r.block.encryption_configuration);
        return enc?.encryption_type !== "KMS" || !isSet(enc.kms_key);
      })
      .map((r) => ({
        address: r.address,
        message:
          "repository is not encrypted with a customer managed key; set encryption_configuration " +
          '{ encryption_type = "KMS", kms_key = <key arn> }',
      }));
  },
};
