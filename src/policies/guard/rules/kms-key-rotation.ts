import { isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

export const KMS_KEY_ROTATION: GuardRule = {
  id: "KMS_KEY_ROTATION",
  severity: "error",
  rationale: "Yearly automatic rotation limits how much data one key version protects.",
  check(stack) {
    return resources(stack, "aws_kms_key")
      .filter((k) => {
        // Only symmetric encryption keys can rotate automatically.
        const spec = k.block.customer_master_key_spec ?? k.block.key_spec;
        if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return false;
        return !isTrue(k.block.enable_key_rotation);
      })
      .map((k) => ({
        address: k.address,
        message: "key rotation is off; set enable_key_rotation = true (ManagedKey does this)",
      }));
  },
};
