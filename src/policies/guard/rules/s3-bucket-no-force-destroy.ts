import { isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

export const S3_BUCKET_NO_FORCE_DESTROY: GuardRule = {
  id: "S3_BUCKET_NO_FORCE_DESTROY",
  severity: "error",
  rationale:
    "force_destroy lets `terraform destroy` delete every object, state and artifacts included.",
  check(stack) {
    return resources(stack, "aws_s3_bucket")
      .filter((b) => isTrue(b.block.force_destroy))
      .map((b) => ({
        address: b.address,
        message:
          "bucket has force_destroy = true; remove it (empty a bucket deliberately, out of band)",
      }));
  },
};
