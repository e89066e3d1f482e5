import type { PlatformConfig } from "../config";
import { Naming } from "../config/naming";
import { toolingTarget } from "./targets";

/*
 * Names and ARNs of the `ecr` stack's resources, derived from config only, so that stacks applied
 * before it (the GitHub OIDC bootstrap stacks, `github-repos`) can name them without reading its
 * state.
 */

/** `<project>/<service>` */
export function ecrRepositoryName(config: PlatformConfig, service: string): string {
  return new Naming(config.project).ecrRepository(service);
}

/** `arn:aws:ecr:<tooling region>:<tooling account>:repository/<project>/<service>` */
export function ecrRepositoryArn(config: PlatformConfig, service: string): string {
  const { accountId, region } = toolingTarget(config);
  return `arn:aws:ecr:${region}:${accountId}:repository/${ecrRepositoryName(config, service)}`;
}

/** `alias/<project>-ecr`: the key of the image repositories (and the CodeCommit config source). */
export function ecrKeyAlias(config: PlatformConfig): string {
  return new Naming(config.project).kmsAlias("ecr");
}

/** The default name of the CodeCommit deploy-config repository (`pipeline.configSource`). */
export function configRepositoryName(config: PlatformConfig): string {
  const source = config.pipeline.configSource;
  const explicit = source.type === "codecommit" ? source.repositoryName : undefined;
  return explicit ?? new Naming(config.project).name("deploy-config", "codeCommit");
}
