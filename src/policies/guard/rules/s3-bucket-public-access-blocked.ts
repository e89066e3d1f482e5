import { isTrue, relatedResources, resources } from "../terraform";
import type { GuardRule } from "../types";

const FLAGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
] as const;

export const S3_BUCKET_PUBLIC_ACCESS_BLOCKED: GuardRule = {
  id: "S3_BUCKET_PUBLIC_ACCESS_BLOCKED",
  severity: "error",
  rationale:
    "A bucket-level public access block stops an ACL or policy mistake from publishing data.",
  check(stack) {
    return resources(stack, "aws_s3_bucket").flatMap((bucket) => {
      const blocks = relatedResources(
        stack,
        "aws_s3_bucket_public_access_block",
        "bucket",
        bucket,
        "bucket",
      );
      const complete = blocks.some((b) => FLAGS.every((f) => isTrue(b.block[f])));
      if (complete) return [];
      const missing =
        blocks.length === 0
          ? "has no aws_s3_bucket_public_access_block"
          : `has a public access block without all of ${FLAGS.join(", ")} set to true`;
      return [
        {
          address: bucket.address,
          message: `bucket ${missing}; set all four flags to true (SecureBucket does this)`,
        },
      ];
    });
  },
};
