import { isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const CODEBUILD_ENCRYPTED: GuardRule = {
  id: "CODEBUILD_ENCRYPTED",
  severity: "error",
  rationale: "Build artifacts are encrypted with the pipeline's customer managed key.",
  check(stack) {
    return resources(stack, "aws_codebuild_project")
      .filter((p) => !isSet(p.block.encryption_key))
      .map((p) => ({
        address: p.address,
        message: "project has no encryption_key; set it to the pipeline's KMS key ARN",
      }));
  },
};
