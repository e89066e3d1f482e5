import type { PlatformConfig } from "../config";
import { environmentRoleArn, Naming } from "../config/naming";

/*
 * The execution role of a service in an environment, named deterministically so that the `ecr`
 * stack (tooling account, deployed first) can let exactly these roles pull, by ARN, before the
 * `services-<env>` stacks create them: no cross-stack reference, no dependency cycle.
 */

/** `<project>-<env>-<service>-execution` (fitted to IAM's limits). */
export function executionRoleName(
  config: PlatformConfig,
  environment: string,
  service: string,
): string {
  return new Naming(config.project, environment).name(`${service}-execution`, "iamRole");
}

export function executionRoleArn(
  config: PlatformConfig,
  environment: string,
  service: string,
): string {
  return environmentRoleArn(config, environment, executionRoleName(config, environment, service));
}
