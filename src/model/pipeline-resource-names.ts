import type { PlatformConfig } from "../config";
import { Naming } from "../config/naming";
import { environmentRoleArn } from "../config/naming";

/*
 * Physical names shared by the `pipeline` stack (tooling account) and the `pipeline-access-<env>`
 * stacks (target accounts). They are deterministic so that neither side needs a cross-stack
 * reference to name the other's resources: the pipeline stack grants the deploy role by its ARN
 * before that role exists, which is what keeps the two stacks free of a dependency cycle.
 */

/** The approval stage and its action: part of the ARN the approvers' policy names. */
export const APPROVAL_STAGE = "Approval";
export const APPROVAL_ACTION = "Approve";

/** `<project>-pipeline-artifacts-<tooling account>` */
export function artifactBucketName(config: PlatformConfig, toolingAccountId: string): string {
  return new Naming(config.project).bucket("pipeline-artifacts", toolingAccountId);
}

/** The S3 config source bucket (`pipeline.configSource.type: s3`). */
export function configBucketName(config: PlatformConfig, toolingAccountId: string): string {
  return new Naming(config.project).bucket("deploy-config", toolingAccountId);
}

/** Alias of the pipeline's customer managed key (artifacts, topic, logs, CodeBuild). */
export function pipelineKeyAlias(config: PlatformConfig): string {
  return new Naming(config.project).kmsAlias("pipeline");
}

/** The service role of one service's pipeline, in the tooling account. */
export function pipelineRoleName(config: PlatformConfig, service: string): string {
  return new Naming(config.project).name(`${service}-pipeline`, "iamRole");
}

/** The role a service's pipeline assumes in another account to deploy there. */
export function deployRoleName(
  config: PlatformConfig,
  environment: string,
  service: string,
): string {
  return new Naming(config.project, environment).name(`${service}-pipeline-deploy`, "iamRole");
}

export function deployRoleArn(
  config: PlatformConfig,
  environment: string,
  service: string,
): string {
  return environmentRoleArn(config, environment, deployRoleName(config, environment, service));
}
