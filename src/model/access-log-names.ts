import type { Naming } from "../config/naming";

/**
 * Names and prefixes of an environment's S3 server access logs. The network stack owns the
 * environment's access-log bucket and grants every data bucket of the environment (its ALB log
 * bucket, the services stack's static-assets bucket) a prefix; both stacks compute the same names.
 */
export const ENV_ACCESS_LOG_PREFIXES = {
  albLogs: "alb-logs/",
  staticAssets: "static-assets/",
} as const;

/** `<project>-<env>-s3-access-logs-<account>`: the environment's access-log bucket. */
export function envAccessLogBucketName(naming: Naming, accountId: string): string {
  return naming.bucket("s3-access-logs", accountId);
}

/** `<project>-<env>-static-assets-<account>` (`frontend.staticAssetsBucket`). */
export function staticAssetsBucketName(naming: Naming, accountId: string): string {
  return naming.bucket("static-assets", accountId);
}
