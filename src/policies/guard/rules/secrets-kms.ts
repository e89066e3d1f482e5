import { isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const SECRETS_KMS: GuardRule = {
  id: "SECRETS_KMS",
  severity: "error",
  rationale:
    "Secrets are encrypted with a customer key so access needs both the secret and the key policy.",
  check(stack) {
    return resources(stack, "aws_secretsmanager_secret")
      .filter((s) => !isSet(s.block.kms_key_id))
      .map((s) => ({
        address: s.address,
        message:
          "secret uses the AWS managed key; set kms_key_id to the environment's customer key",
      }));
  },
};
