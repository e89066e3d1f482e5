import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { ManagedKey } from "../constructs/kms-key";
import { SecureBucket } from "../constructs/secure-bucket";
import { PlatformStack } from "./platform-stack";
import { stateBucketName, stateKeyAlias } from "./state-names";

/**
 * The bootstrap stack: the bucket and KMS key that hold every other stack's state. It keeps its
 * own state in a local file (it cannot use the bucket it creates); the README explains how to
 * migrate it into the bucket afterwards.
 */
export class StateStack extends PlatformStack {
  readonly bucket: SecureBucket;
  readonly key: ManagedKey;

  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id, { config, backend: "local" });
    if (config.state.backend !== "s3") throw new Error("the state stack needs state.backend s3");
    const state = config.state;
    this.addAwsProvider({ accountId: state.accountId, region: state.region });

    this.key = new ManagedKey(this, "Key", {
      alias: stateKeyAlias(config),
      description: `Encrypts ${config.project} Terraform state`,
      accountId: state.accountId,
    });
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName: stateBucketName(config),
      kmsKeyArn: this.key.arn,
      noncurrentVersionDays: state.noncurrentVersionDays,
    });

    new TerraformOutput(this, "bucket_name", { value: this.bucket.name });
    new TerraformOutput(this, "kms_key_arn", { value: this.key.arn });
  }
}
