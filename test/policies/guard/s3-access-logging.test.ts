import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { describe, expect, it } from "vitest";
import { AccessLogBucket } from "../../../src/constructs/access-log-bucket";
import { SecureBucket } from "../../../src/constructs/secure-bucket";
import { flagged, policy, stackOf, synthJson } from "./helpers";

const RULE = "S3_BUCKET_ACCESS_LOGGING";

describe("S3_BUCKET_ACCESS_LOGGING", () => {
  it("is quiet on a data bucket logging into an AccessLogBucket, which is exempt", () => {
    const stack = synthJson((scope) => {
      const logs = new AccessLogBucket(scope, "Logs", {
        bucketName: "acme-logs",
        accountId: "111111111111",
        sources: [{ bucketName: "acme-data", prefix: "data/" }],
      });
      new SecureBucket(scope, "Data", {
        bucketName: "acme-data",
        accessLogs: logs.target("data/"),
      });
    });
    expect(flagged(RULE, stack)).toEqual([]);
  });

  it("fires on a SecureBucket without access logs and on a bare bucket", () => {
    const stack = synthJson((scope) => {
      new SecureBucket(scope, "Data", { bucketName: "acme-data" });
      new S3Bucket(scope, "Bare", { bucket: "acme-bare" });
    });
    expect(flagged(RULE, stack).sort()).toEqual([
      expect.stringMatching(/^aws_s3_bucket\.Bare/),
      expect.stringMatching(/^aws_s3_bucket\.Data_/),
    ]);
  });

  it("accepts logging by literal name and the legacy inline logging block", () => {
    const stack = stackOf({
      aws_s3_bucket: {
        data: { bucket: "data" },
        legacy: { bucket: "legacy", logging: { target_bucket: "logs", target_prefix: "l/" } },
        logs: { bucket: "logs" },
      },
      aws_s3_bucket_logging: {
        l: { bucket: "data", target_bucket: "logs", target_prefix: "data/" },
      },
    });
    // `logs` is exempt as the target_bucket of an aws_s3_bucket_logging.
    expect(flagged(RULE, stack)).toEqual([]);
  });

  it("exempts a bucket whose policy lets the log delivery service write, not other services", () => {
    const grant = (service: string): string =>
      policy({
        Effect: "Allow",
        Principal: { Service: service },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::x/*",
      });
    const stack = stackOf({
      aws_s3_bucket: { target: { bucket: "target" }, other: { bucket: "other" } },
      aws_s3_bucket_policy: {
        t: { bucket: "${aws_s3_bucket.target.id}", policy: grant("logging.s3.amazonaws.com") },
        o: { bucket: "${aws_s3_bucket.other.id}", policy: grant("delivery.logs.amazonaws.com") },
      },
    });
    expect(flagged(RULE, stack)).toEqual(["aws_s3_bucket.other"]);
  });
});
