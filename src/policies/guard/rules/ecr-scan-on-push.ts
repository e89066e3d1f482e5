import { block, blocks, isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECR_SCAN_ON_PUSH: GuardRule = {
  id: "ECR_SCAN_ON_PUSH",
  severity: "error",
  rationale: "Every pushed image is scanned for known vulnerabilities before it can be deployed.",
  check(stack) {
    // Registry-level enhanced scanning (Inspector) on push or continuously covers every repository.
    const registryScan = resources(stack, "aws_ecr_registry_scanning_configuration").some((r) =>
      blocks(r.block.rule).some((rule) =>
        ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"].includes(String(rule.scan_frequency)),
      ),
    );
    if (registryScan) return [];
    return resources(stack, "aws_ecr_repository")
      .filter((r) => !isTrue(block(r.block.image_scanning_configuration)?.scan_on_push))
      .map((r) => ({
        address: r.address,
        message:
          "image scanning on push is off; set image_scanning_configuration.scan_on_push = true",
      }));
  },
};
