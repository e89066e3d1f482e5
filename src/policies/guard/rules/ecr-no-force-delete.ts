import { isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECR_NO_FORCE_DELETE: GuardRule = {
  id: "ECR_NO_FORCE_DELETE",
  severity: "error",
  rationale:
    "force_delete lets `terraform destroy` delete a repository together with every image in it.",
  check(stack) {
    return resources(stack, "aws_ecr_repository")
      .filter((r) => isTrue(r.block.force_delete))
      .map((r) => ({
        address: r.address,
        message: "repository has force_delete = true; remove it",
      }));
  },
};
