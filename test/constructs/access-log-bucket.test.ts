import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { AccessLogBucket } from "../../src/constructs/access-log-bucket";
import { SecureBucket } from "../../src/constructs/secure-bucket";
import { resourcesOf, type StackJson } from "../helpers/synth";

const ACCOUNT = "111111111111";

function synth(): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    const logs = new AccessLogBucket(scope, "Logs", {
      bucketName: "acme-logs-111111111111",
      accountId: ACCOUNT,
      sources: [
        { bucketName: "acme-data-111111111111", prefix: "data/" },
        { bucketName: "acme-other-111111111111", prefix: "other/" },
      ],
    });
    new SecureBucket(scope, "Data", {
      bucketName: "acme-data-111111111111",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/abc",
      accessLogs: logs.target("data/"),
    });
  });
  return { text, json: JSON.parse(text) as StackJson };
}

function policyOf(json: StackJson, name: string): { Statement: Record<string, unknown>[] } {
  const policies = resourcesOf(json, "aws_s3_bucket_policy");
  const entry = Object.entries(policies).find(([k]) => k.startsWith(name));
  if (!entry) throw new Error(`no policy ${name}`);
  return JSON.parse(entry[1].policy as string) as { Statement: Record<string, unknown>[] };
}

describe("SecureBucket accessLogs", () => {
  it("adds no logging resource by default", () => {
    const text = Testing.synthScope((scope) => {
      new SecureBucket(scope, "B", { bucketName: "acme-b" });
    });
    expect(text).not.toHaveResource(S3BucketLoggingA);
  });

  it("logs into the target bucket under its prefix, after the target's policy exists", () => {
    const { text, json } = synth();
    expect(text).toHaveResourceWithProperties(S3BucketLoggingA, {
      bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.Data_\w+\.id\}$/),
      target_bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.Logs_Bucket_\w+\.bucket\}$/),
      target_prefix: "data/",
    });
    const logging = Object.values(resourcesOf(json, "aws_s3_bucket_logging"));
    expect(logging).toHaveLength(1);
    expect(logging[0].depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_policy\.Logs_Bucket_Policy/),
    ]);
  });
});

describe("AccessLogBucket", () => {
  it("is SSE-S3 (server access logs cannot be delivered to SSE-KMS), expires after 365 days", () => {
    const { text, json } = synth();
    expect(text).toHaveResourceWithProperties(S3Bucket, { bucket: "acme-logs-111111111111" });
    const encryption = Object.entries(
      resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration"),
    ).find(([k]) => k.startsWith("Logs_"));
    expect(encryption?.[1].rule).toEqual([
      expect.objectContaining({
        apply_server_side_encryption_by_default: { sse_algorithm: "AES256" },
      }),
    ]);
    expect(text).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [expect.objectContaining({ expiration: [{ days: 365 }] })],
    });
  });

  it("does not log itself", () => {
    const { json } = synth();
    const logging = Object.values(resourcesOf(json, "aws_s3_bucket_logging"));
    expect(logging.map((l) => l.bucket)).toEqual([expect.stringMatching(/aws_s3_bucket\.Data_/)]);
  });

  it("lets logging.s3.amazonaws.com write each source's prefix only, pinned to source and account", () => {
    const { json } = synth();
    const statements = policyOf(json, "Logs_").Statement;
    expect(statements[0]).toMatchObject({ Sid: "DenyInsecureTransport", Effect: "Deny" });
    expect(statements.slice(1)).toEqual([
      {
        Sid: "S3ServerAccessLogs0",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::acme-logs-111111111111/data/*",
        Condition: {
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::acme-data-111111111111" },
          StringEquals: { "aws:SourceAccount": ACCOUNT },
        },
      },
      expect.objectContaining({
        Sid: "S3ServerAccessLogs1",
        Resource: "arn:aws:s3:::acme-logs-111111111111/other/*",
        Condition: {
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::acme-other-111111111111" },
          StringEquals: { "aws:SourceAccount": ACCOUNT },
        },
      }),
    ]);
  });

  it("refuses a target prefix it does not grant", () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const logs = new AccessLogBucket(scope, "Logs", {
          bucketName: "acme-logs",
          accountId: ACCOUNT,
          sources: [{ bucketName: "acme-data", prefix: "data/" }],
        });
        new SecureBucket(scope, "Data", { bucketName: "acme-data", accessLogs: logs.target("x/") });
      }),
    ).toThrow(/prefix x\/ is not granted/);
  });
});
