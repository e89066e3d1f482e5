/**
 * Stack ids are an external contract: they name state keys, HCP Terraform workspaces and
 * `cdktf deploy` arguments. Never rename one without migrating its state.
 */
export const STACK_IDS = {
  state: "state",
  /** GitHub OIDC provider and CI roles of the tooling account (and its image publisher). */
  githubOidc: "github-oidc",
  /** The same for another platform account: one account per stack (see github-oidc-stack.ts). */
  githubOidcIn: (accountId: string) => `github-oidc-${accountId}`,
  githubRepos: "github-repos",
  ecr: "ecr",
  pipeline: "pipeline",
  network: (environment: string) => `network-${environment}`,
  /** An environment's Secrets Manager secrets: applied, then given values, before its services. */
  secrets: (environment: string) => `secrets-${environment}`,
  services: (environment: string) => `services-${environment}`,
  /** Cross-account deploy roles the pipeline assumes in an environment's account. */
  pipelineAccess: (environment: string) => `pipeline-access-${environment}`,
  /** HCP Terraform: the project and one workspace per stack (`state.backend: hcp` only). */
  hcpWorkspaces: "hcp-workspaces",
} as const;
