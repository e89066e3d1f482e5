import { block, isTrue, relatedResources, resources } from "../terraform";
import type { GuardRule } from "../types";

export const S3_BUCKET_VERSIONED: GuardRule = {
  id: "S3_BUCKET_VERSIONED",
  severity: "error",
  rationale:
    "Versioning lets an overwritten or deleted object (a state file, an artifact) be recovered.",
  check(stack) {
    return resources(stack, "aws_s3_bucket")
      .filter((bucket) => {
        if (isTrue(block(bucket.block.versioning)?.enabled)) return false;
        return !relatedResources(
          stack,
          "aws_s3_bucket_versioning",
          "bucket",
          bucket,
          "bucket",
        ).some((v) => block(v.block.versioning_configuration)?.status === "Enabled");
      })
      .map((bucket) => ({
        address: bucket.address,
        message:
          'bucket is not versioned; add an aws_s3_bucket_versioning with status "Enabled" ' +
          "(SecureBucket does this)",
      }));
  },
};
