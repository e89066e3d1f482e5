import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { Naming } from "../config/naming";
import { AccessLogBucket } from "../constructs/access-log-bucket";
import { ManagedKey } from "../constructs/kms-key";
import { SecureBucket } from "../constructs/secure-bucket";
import {
  crossAccountStateBucketStatements,
  crossAccountStateKeyStatements,
} from "../policies/state-cross-account";
import { roleArn } from "../config/naming";
import { githubRoleNames } from "../model/github-role-names";
import { platformAccounts } from "../model/targets";
import { PlatformStack } from "./platform-stack";
import { stateBucketName, stateKeyAlias } from "../model/state-names";

/**
 * The bootstrap stack: the bucket and KMS key that hold every other stack's state. It keeps its
 * own state in a local file (it cannot use the bucket it creates); the README explains how to
 * migrate it into the bucket afterwards. The platform's GitHub plan and apply roles in the other
 * accounts may use the bucket and key: plan roles read state and write lock files only.
 */
export class StateStack extends PlatformStack {
  readonly bucket: SecureBucket;
  readonly key: ManagedKey;
  readonly accessLogs: AccessLogBucket;

  constructor(scope: Construct, id: string, config: PlatformConfig) {
    // Bootstrap: local state until it is migrated into the bucket (state.stateStackBackend: s3).
    const selfHosted = config.state.backend === "s3" && config.state.stateStackBackend === "s3";
    super(scope, id, { config, backend: selfHosted ? "remote" : "local" });
    if (config.state.backend !== "s3") throw new Error("the state stack needs state.backend s3");
    const state = config.state;
    this.addAwsProvider({ accountId: state.accountId, region: state.region });

    const bucketName = stateBucketName(config);
    const others = platformAccounts(config).filter((a) => a !== state.accountId);
    const roles = githubRoleNames(config);
    const access = {
      bucketArn: `arn:aws:s3:::${bucketName}`,
      prefix: config.project,
      accountIds: others,
      planRoleArns: others.map((a) => roleArn(a, roles.plan)),
      applyRoleArns: others.map((a) => roleArn(a, roles.apply)),
    };

    this.key = new ManagedKey(this, "Key", {
      alias: stateKeyAlias(config),
      description: `Encrypts ${config.project} Terraform state`,
      accountId: state.accountId,
      statements: crossAccountStateKeyStatements(access),
    });
    // S3 server access logs of the state bucket: who read or wrote which state file.
    this.accessLogs = new AccessLogBucket(this, "AccessLogs", {
      bucketName: new Naming(config.project).bucket("tfstate-access-logs", state.accountId),
      accountId: state.accountId,
      sources: [{ bucketName, prefix: "tfstate/" }],
    });
    this.bucket = new SecureBucket(this, "Bucket", {
      bucketName,
      kmsKeyArn: this.key.arn,
      noncurrentVersionDays: state.noncurrentVersionDays,
      policyStatements: crossAccountStateBucketStatements(access),
      accessLogs: this.accessLogs.target("tfstate/"),
    });

    new TerraformOutput(this, "bucket_name", { value: this.bucket.name });
    new TerraformOutput(this, "kms_key_arn", { value: this.key.arn });
  }
}
