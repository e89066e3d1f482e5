import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { PolicyStatement } from "../policies/document";
import { SecureBucket, type AccessLogTarget } from "./secure-bucket";

/** A bucket allowed to write its server access logs into the AccessLogBucket. */
export interface AccessLogSource {
  /** The source bucket's name (known in advance, so the grant names it before it exists). */
  readonly bucketName: string;
  /** Its key prefix in the log bucket, e.g. `alb-logs/`; one prefix per source. */
  readonly prefix: string;
}

export interface AccessLogBucketProps {
  readonly bucketName: string;
  /** The account of the log bucket and of every source bucket (`aws:SourceAccount`). */
  readonly accountId: string;
  /** The buckets that log here; each may write only under its own prefix. */
  readonly sources: readonly AccessLogSource[];
  /** Delete log objects after this many days. @default 365 */
  readonly retentionDays?: number;
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * The target of S3 server access logs for the buckets of one stack: SSE-S3 (the log delivery
 * service cannot write to SSE-KMS targets), versioned, TLS-only, expiring after a year. The
 * `logging.s3.amazonaws.com` service writes through a bucket policy (ACL grants are disabled by
 * BucketOwnerEnforced), restricted to the source bucket's prefix, ARN and account. It has no
 * access logging of its own: logging into itself would loop.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: SecureBucket;
  private readonly prefixes: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const arn = `arn:aws:s3:::${props.bucketName}`;
    this.prefixes = new Set(props.sources.map((s) => s.prefix));
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName: props.bucketName,
      expireAfterDays: props.retentionDays ?? 365,
      noncurrentVersionDays: 1,
      provider: props.provider,
      policyStatements: props.sources.map((source, i): PolicyStatement => ({
        Sid: `S3ServerAccessLogs${i}`,
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${arn}/${source.prefix}*`,
        Condition: {
          ArnLike: { "aws:SourceArn": `arn:aws:s3:::${source.bucketName}` },
          StringEquals: { "aws:SourceAccount": props.accountId },
        },
      })),
    });
  }

  /** The `accessLogs` prop of a source bucket registered with this prefix. */
  target(prefix: string): AccessLogTarget {
    if (!this.prefixes.has(prefix)) {
      throw new Error(`access log prefix ${prefix} is not granted in ${this.node.path}`);
    }
    return { bucketName: this.bucket.name, prefix, dependsOn: [this.bucket.policy] };
  }

  get name(): string {
    return this.bucket.name;
  }
}
