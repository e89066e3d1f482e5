import { resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECR_TAG_IMMUTABLE: GuardRule = {
  id: "ECR_TAG_IMMUTABLE",
  severity: "error",
  rationale: "Immutable tags mean a tag always names the image that was scanned and approved.",
  check(stack) {
    return resources(stack, "aws_ecr_repository")
      .filter((r) => !String(r.block.image_tag_mutability ?? "MUTABLE").startsWith("IMMUTABLE"))
      .map((r) => ({
        address: r.address,
        message:
          'tags are mutable; set image_tag_mutability = "IMMUTABLE" (the pipeline pins digests), ' +
          "or suppress ECR_TAG_IMMUTABLE on this repository with the reason a moving tag is needed",
      }));
  },
};
