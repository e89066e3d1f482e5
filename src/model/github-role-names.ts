import type { PlatformConfig } from "../config";
import { Naming } from "../config/naming";

/**
 * Names of the GitHub OIDC roles. Each platform account has a plan and an apply role of the same
 * name, so other stacks (the state bucket's policy) can name them before they exist.
 */
export function githubRoleNames(config: PlatformConfig): {
  readonly plan: string;
  readonly apply: string;
  readonly publisher: string;
} {
  const naming = new Naming(config.project);
  return {
    plan: naming.name("github-infra-plan", "iamRole"),
    apply: naming.name("github-infra-apply", "iamRole"),
    publisher: naming.name("github-image-publisher", "iamRole"),
  };
}

// ARNs of roles named in advance are made with the names (config/naming.ts).
