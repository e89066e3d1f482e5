import { block, blocks, isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const CODEPIPELINE_ARTIFACTS_ENCRYPTED: GuardRule = {
  id: "CODEPIPELINE_ARTIFACTS_ENCRYPTED",
  severity: "error",
  rationale:
    "Pipeline artifacts are encrypted with a customer key (also needed to deploy across accounts).",
  check(stack) {
    return resources(stack, "aws_codepipeline").flatMap((p) => {
      const stores = blocks(p.block.artifact_store);
      const missing =
        stores.length === 0 ||
        stores.some((s) => {
          const key = block(s.encryption_key);
          return !isSet(key?.id) || key?.type !== "KMS";
        });
      return missing
        ? [
            {
              address: p.address,
              message:
                'artifact_store has no customer key; set encryption_key { id = <key arn>, type = "KMS" }',
            },
          ]
        : [];
    });
  },
};
