/**
 * Stack ids are an external contract: they name state keys, HCP Terraform workspaces and
 * `cdktf deploy` arguments. Never rename one without migrating its state.
 */
export const STACK_IDS = {
  state: "state",
  githubOidc: "github-oidc",
  githubRepos: "github-repos",
  ecr: "ecr",
  pipeline: "pipeline",
  network: (environment: string) => `network-${environment}`,
  services: (environment: string) => `services-${environment}`,
  /** Cross-account deploy roles the pipeline assumes in an environment's account. */
  pipelineAccess: (environment: string) => `pipeline-access-${environment}`,
} as const;
