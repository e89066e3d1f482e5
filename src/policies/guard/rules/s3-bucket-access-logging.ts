import { stackPolicies } from "../policies";
import {
  block,
  isExpression,
  refersTo,
  relatedResources,
  resources,
  type ResourceEntry,
} from "../terraform";
import type { GuardRule, SynthesizedStackJson } from "../types";

const LOG_DELIVERY = "logging.s3.amazonaws.com";

/**
 * True when the bucket receives server access logs: it is the target_bucket of an
 * aws_s3_bucket_logging in the stack, or its bucket policy lets the log delivery service write.
 * Such a bucket must not log itself (each log object would produce another).
 */
function isAccessLogTarget(stack: SynthesizedStackJson, bucket: ResourceEntry): boolean {
  const literal = bucket.block.bucket;
  const targeted = resources(stack, "aws_s3_bucket_logging").some((l) => {
    const target = l.block.target_bucket;
    if (refersTo(target, bucket.address)) return true;
    return typeof literal === "string" && !isExpression(literal) && target === literal;
  });
  if (targeted) return true;
  const policies = relatedResources(stack, "aws_s3_bucket_policy", "bucket", bucket, "bucket");
  const { documents } = stackPolicies(stack);
  return documents.some(
    (d) =>
      policies.some((p) => p.address === d.address) &&
      d.statements.some(
        (s) =>
          s.effect === "Allow" &&
          s.principals.some((p) => p.type === "Service" && p.values.includes(LOG_DELIVERY)),
      ),
  );
}

export const S3_BUCKET_ACCESS_LOGGING: GuardRule = {
  id: "S3_BUCKET_ACCESS_LOGGING",
  severity: "error",
  rationale:
    "S3 server access logs record every request to a bucket (who read or wrote which object); access-log buckets themselves are exempt.",
  check(stack) {
    return resources(stack, "aws_s3_bucket")
      .filter((bucket) => {
        if (block(bucket.block.logging)?.target_bucket !== undefined) return false;
        const logging = relatedResources(
          stack,
          "aws_s3_bucket_logging",
          "bucket",
          bucket,
          "bucket",
        );
        if (logging.length > 0) return false;
        return !isAccessLogTarget(stack, bucket);
      })
      .map((bucket) => ({
        address: bucket.address,
        message:
          "bucket has no server access logging; add an aws_s3_bucket_logging into the stack's " +
          "access-log bucket (SecureBucket accessLogs with AccessLogBucket.target())",
      }));
  },
};
