import { type PlatformConfig } from "../config";
import { Naming } from "../config/naming";

/** The state bucket's name: from config, or `<project>-tfstate-<account>`. */
export function stateBucketName(config: PlatformConfig): string {
  if (config.state.backend !== "s3")
    throw new Error("state bucket exists only with the s3 backend");
  return (
    config.state.bucket ?? new Naming(config.project).bucket("tfstate", config.state.accountId)
  );
}

/** `alias/<project>-tfstate`: the key that encrypts state objects. */
export function stateKeyAlias(config: PlatformConfig): string {
  return new Naming(config.project).kmsAlias("tfstate");
}

/** The alias ARN, usable by the S3 backend before the key id is known. */
export function stateKeyAliasArn(config: PlatformConfig): string {
  if (config.state.backend !== "s3") throw new Error("state key exists only with the s3 backend");
  return `arn:aws:kms:${config.state.region}:${config.state.accountId}:${stateKeyAlias(config)}`;
}
