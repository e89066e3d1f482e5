import { block, isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

export const CODEBUILD_NOT_PRIVILEGED: GuardRule = {
  id: "CODEBUILD_NOT_PRIVILEGED",
  severity: "error",
  rationale:
    "Privileged mode gives the build root on its host; only Docker-in-Docker builds need it.",
  check(stack) {
    return resources(stack, "aws_codebuild_project")
      .filter((p) => isTrue(block(p.block.environment)?.privileged_mode))
      .map((p) => ({
        address: p.address,
        message:
          "environment.privileged_mode is true; turn it off, or suppress CODEBUILD_NOT_PRIVILEGED on this project with the reason it builds images",
      }));
  },
};
