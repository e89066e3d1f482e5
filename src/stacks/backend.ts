import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { PlatformConfig } from "../config";
import { stateBucketName, stateKeyAliasArn } from "../model/state-names";
import { CloudBlock } from "../constructs/cloud-block";

/** Where a stack keeps its state: the config's remote backend, or a local file (bootstrap only). */
export type BackendChoice = "remote" | "local";

/**
 * Configures one stack's backend. S3: one key per stack, encrypted with the state KMS key and
 * locked with S3-native lock files. HCP Terraform: one named workspace per stack (named, because
 * cdktf cross-stack references do not work with tagged workspaces).
 */
export function configureBackend(
  stack: TerraformStack,
  stackId: string,
  config: PlatformConfig,
  choice: BackendChoice = "remote",
): void {
  if (choice === "local") {
    // Terraform runs in <outdir>/stacks/<id>/, which every synth replaces: the state file must
    // live outside it, in the project directory (git-ignored). A relative path keeps the
    // synthesized JSON the same on every machine, unlike cdktf's default absolute path.
    new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
    return;
  }
  const state = config.state;
  if (state.backend === "hcp") {
    const prefix = state.workspacePrefix ?? `${config.project}-`;
    new CloudBlock(stack, {
      hostname: state.hostname,
      organization: state.organization,
      workspace: `${prefix}${stackId}`,
    });
    return;
  }
  new S3Backend(stack, {
    bucket: stateBucketName(config),
    key: `${config.project}/${stackId}.tfstate`,
    region: state.region,
    encrypt: true,
    kmsKeyId: stateKeyAliasArn(config),
    ...(state.roleArn ? { assumeRole: { roleArn: state.roleArn } } : {}),
  });
  // cdktf 0.21's S3Backend has no typed use_lockfile; S3-native locking is GA in Terraform 1.11.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

/** The HCP Terraform workspace that holds a stack, or undefined with an S3 backend. */
export function workspaceName(config: PlatformConfig, stackId: string): string | undefined {
  if (config.state.backend !== "hcp") return undefined;
  return `${config.state.workspacePrefix ?? `${config.project}-`}${stackId}`;
}
