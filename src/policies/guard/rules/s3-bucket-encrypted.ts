import { block, blocks, relatedResources, resources } from "../terraform";
import type { GuardRule } from "../types";

export const S3_BUCKET_ENCRYPTED: GuardRule = {
  id: "S3_BUCKET_ENCRYPTED",
  severity: "error",
  rationale:
    "Objects at rest must be encrypted with a configuration this code owns, not an account default.",
  check(stack) {
    return resources(stack, "aws_s3_bucket")
      .filter((bucket) => {
        const inline = blocks(block(bucket.block.server_side_encryption_configuration)?.rule);
        const configs = relatedResources(
          stack,
          "aws_s3_bucket_server_side_encryption_configuration",
          "bucket",
          bucket,
          "bucket",
        );
        return ![...inline, ...configs.flatMap((c) => blocks(c.block.rule))].some(
          (rule) => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm,
        );
      })
      .map((bucket) => ({
        address: bucket.address,
        message:
          "bucket has no server-side encryption configuration; add an " +
          "aws_s3_bucket_server_side_encryption_configuration (SSE-KMS with a customer key, or " +
          "AES256 where KMS is not supported) or use the SecureBucket construct",
      }));
  },
};
