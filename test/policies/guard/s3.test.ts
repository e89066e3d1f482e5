import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { describe, expect, it } from "vitest";
import { SecureBucket } from "../../../src/constructs/secure-bucket";
import { flagged, policy, stackOf, synthJson } from "./helpers";

const S3_RULES = [
  "S3_BUCKET_ENCRYPTED",
  "S3_BUCKET_VERSIONED",
  "S3_BUCKET_PUBLIC_ACCESS_BLOCKED",
  "S3_BUCKET_TLS_ONLY",
  "S3_BUCKET_NO_FORCE_DESTROY",
  "STATEFUL_PREVENT_DESTROY",
];

describe("S3 rules", () => {
  const secure = synthJson((scope) => {
    new SecureBucket(scope, "Logs", {
      bucketName: "acme-logs",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abc",
    });
  });
  const bare = synthJson((scope) => {
    new S3Bucket(scope, "Bare", { bucket: "acme-bare", forceDestroy: true });
  });

  it.each(S3_RULES)("%s: quiet on SecureBucket", (rule) => {
    expect(flagged(rule, secure)).toEqual([]);
  });

  it.each(S3_RULES)("%s: fires on a bare bucket", (rule) => {
    expect(flagged(rule, bare)).toEqual([expect.stringMatching(/^aws_s3_bucket\.Bare/)]);
  });

  it("matches related resources by literal bucket name too", () => {
    const stack = stackOf({
      aws_s3_bucket: { b: { bucket: "named" } },
      aws_s3_bucket_versioning: {
        v: { bucket: "named", versioning_configuration: { status: "Enabled" } },
      },
    });
    expect(flagged("S3_BUCKET_VERSIONED", stack)).toEqual([]);
  });

  it("suspended versioning, a partial public access block and an allow-only policy fire", () => {
    const stack = stackOf({
      aws_s3_bucket: { b: { bucket: "x" } },
      aws_s3_bucket_versioning: {
        v: { bucket: "${aws_s3_bucket.b.id}", versioning_configuration: { status: "Suspended" } },
      },
      aws_s3_bucket_public_access_block: {
        p: {
          bucket: "${aws_s3_bucket.b.id}",
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: false,
        },
      },
      aws_s3_bucket_policy: {
        p: {
          bucket: "${aws_s3_bucket.b.id}",
          policy: policy({
            Effect: "Deny",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        },
      },
    });
    expect(flagged("S3_BUCKET_VERSIONED", stack)).toEqual(["aws_s3_bucket.b"]);
    expect(flagged("S3_BUCKET_PUBLIC_ACCESS_BLOCKED", stack)).toEqual(["aws_s3_bucket.b"]);
    // Denying only GetObject over plain HTTP still lets PutObject through.
    expect(flagged("S3_BUCKET_TLS_ONLY", stack)).toEqual(["aws_s3_bucket.b"]);
  });
});
