import type { PlatformConfig } from "../config";
import { Naming } from "../config/naming";

/**
 * The CodePipeline name of one service's delivery pipeline. Shared by the `pipeline` stack (which
 * creates it) and the `github-oidc` stack (which may let CI read its state): keep one definition.
 */
export function pipelineName(config: PlatformConfig, service: string): string {
  return new Naming(config.project).name(`${service}-delivery`, "codePipeline");
}
