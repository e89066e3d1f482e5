import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import {
  denyInsecureTransport,
  policyDocument,
  renderPolicy,
  type PolicyStatement,
} from "../policies/document";

/** Where a bucket writes its S3 server access logs (see AccessLogBucket.target). */
export interface AccessLogTarget {
  /** Target bucket: same account and region, SSE-S3 (server access logs cannot use SSE-KMS). */
  readonly bucketName: string;
  /** Key prefix of this bucket's logs in the target, e.g. `tfstate/`. */
  readonly prefix: string;
  /** What must exist before logging is turned on (the target's bucket policy). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export interface SecureBucketProps {
  readonly bucketName: string;
  /** KMS key ARN for SSE-KMS. @default - SSE-S3 (AES256), e.g. for ALB access logs which support only that */
  readonly kmsKeyArn?: string;
  /** Delete noncurrent versions after this many days. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Delete current objects after this many days. @default - never */
  readonly expireAfterDays?: number;
  /** Statements added to the bucket policy next to the TLS-only rule. @default [] */
  readonly policyStatements?: readonly PolicyStatement[];
  /**
   * S3 server access logging into another bucket. @default - none: only for a bucket that is
   * itself an access-log target (it would log into itself); the guard rule
   * S3_BUCKET_ACCESS_LOGGING checks this
   */
  readonly accessLogs?: AccessLogTarget;
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * An S3 bucket that is private, encrypted, versioned, TLS-only, has a lifecycle and cannot be
 * destroyed by Terraform (`prevent_destroy`, and never `force_destroy`).
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, "Resource", {
      provider,
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.bucket.id;

    new S3BucketOwnershipControls(this, "Ownership", {
      provider,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "PublicAccess", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, "Versioning", {
      provider,
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      provider,
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          bucketKeyEnabled: props.kmsKeyArn !== undefined,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      provider,
      bucket,
      rule: [
        {
          id: "expire-old-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          ...(props.expireAfterDays ? { expiration: [{ days: props.expireAfterDays }] } : {}),
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, "Policy", {
      provider,
      bucket,
      policy: renderPolicy(
        policyDocument(
          denyInsecureTransport([this.bucket.arn, `${this.bucket.arn}/*`]),
          ...(props.policyStatements ?? []),
        ),
      ),
      // A policy written before the public access block could be rejected as public.
      dependsOn: [publicAccess],
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, "Logging", {
        provider,
        bucket,
        targetBucket: props.accessLogs.bucketName,
        targetPrefix: props.accessLogs.prefix,
        dependsOn: props.accessLogs.dependsOn ? [...props.accessLogs.dependsOn] : undefined,
      });
    }
  }

  get arn(): string {
    return this.bucket.arn;
  }

  get name(): string {
    return this.bucket.bucket;
  }
}
