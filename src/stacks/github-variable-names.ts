/**
 * Names of the GitHub Actions variables and secrets on the infra repository: the one source of
 * truth shared by the `github-repos` stack (which writes the variables) and the infra repo's
 * workflows in `.github/workflows/` (which read them as `vars.<NAME>` / `secrets.<NAME>`).
 * test/workflows keeps both sides in sync. Renaming one breaks CI until both sides are deployed.
 */

/** Actions variables the `github-repos` stack writes on the infra repository (identifiers only). */
export const INFRA_REPO_VARIABLES = {
  /** ARN of the read-only role `plan.yml` and `drift.yml` assume through OIDC. */
  planRoleArn: "INFRA_PLAN_ROLE_ARN",
  /** ARN of the role `deploy.yml` assumes through OIDC in the apply environment. */
  applyRoleArn: "INFRA_APPLY_ROLE_ARN",
  /** Region of the STS endpoint the workflows use to assume the roles (the tooling region). */
  awsRegion: "INFRA_AWS_REGION",
  /**
   * JSON object: account id -> plan role ARN. scripts/ci/terraform-stacks.sh runs a stack that
   * targets one non-tooling account (without a deploy role) with that account's role.
   */
  planRoleArns: "INFRA_PLAN_ROLE_ARNS",
  /** JSON object: account id -> apply role ARN (as planRoleArns, for deploy.yml). */
  applyRoleArns: "INFRA_APPLY_ROLE_ARNS",
} as const;

/**
 * Actions secrets an operator sets by hand on the infra repository: credentials never pass
 * through config or Terraform state, so no stack writes them.
 */
export const INFRA_REPO_MANUAL_SECRETS = {
  /**
   * A GitHub token (fine-grained PAT or GitHub App installation token) that can manage the app,
   * infra and frontend repositories' Actions variables, secrets and environments: the
   * `github-repos` stack's provider reads it as GITHUB_TOKEN. The workflow's own GITHUB_TOKEN
   * only reaches the infra repository, so it cannot plan that stack.
   */
  githubToken: "INFRA_GITHUB_TOKEN",
  /** HCP Terraform API token, only with `state.backend: hcp` (TF_TOKEN_app_terraform_io). */
  hcpToken: "TF_API_TOKEN",
  /**
   * GitHub token Amplify connects the frontend repository with, only with a `frontend`: the
   * services stacks' required variable `amplify_github_token` (TF_VAR_amplify_github_token).
   * Without it every plan of a services stack with a frontend fails ("No value for required
   * variable"), because CI runs Terraform with TF_INPUT=0.
   */
  amplifyToken: "AMPLIFY_GITHUB_TOKEN",
} as const;

export type InfraRepoVariable = (typeof INFRA_REPO_VARIABLES)[keyof typeof INFRA_REPO_VARIABLES];
