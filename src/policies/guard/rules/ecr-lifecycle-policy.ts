import { relatedResources, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECR_LIFECYCLE_POLICY: GuardRule = {
  id: "ECR_LIFECYCLE_POLICY",
  severity: "error",
  rationale:
    "A lifecycle policy expires untagged and old images so storage and scan noise stay bounded.",
  check(stack) {
    return resources(stack, "aws_ecr_repository")
      .filter(
        (r) =>
          relatedResources(stack, "aws_ecr_lifecycle_policy", "repository", r, "name").length === 0,
      )
      .map((r) => ({
        address: r.address,
        message:
          "repository has no aws_ecr_lifecycle_policy; add one that expires untagged and old images",
      }));
  },
};
