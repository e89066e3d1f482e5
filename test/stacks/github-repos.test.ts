import { ActionsSecret } from "@cdktf/provider-github/lib/actions-secret";
import { ActionsVariable } from "@cdktf/provider-github/lib/actions-variable";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { describe, expect, it } from "vitest";
import { platformRoles } from "../../src/iam/roles";
import { INFRA_REPO_VARIABLES } from "../../src/stacks/github-variable-names";
import { ResolvedApp } from "../../src/synth/resolve";
import { synthOutput } from "../helpers/rehearsal";
import { exampleConfig } from "../helpers/config";
import { resourcesOf, synthApp } from "../helpers/synth";
import { variedConfig } from "../helpers/varied-config";

describe("github-repos stack", () => {
  const config = exampleConfig();
  const app = synthApp(config);
  // The ARNs of the roles the GitHub OIDC stacks really create, and the ECR repositories' names.
  const resolved = new ResolvedApp(synthOutput(config));
  const createdRoles = new Set(platformRoles(resolved).keys());
  const repositoryNames = resolved
    .allResources("aws_ecr_repository")
    .map((r) => resolved.attribute(r, "name"));
  const json = app.stacks["github-repos"];
  const text = app.text["github-repos"];
  const variables = (repository: string) =>
    Object.fromEntries(
      Object.values(resourcesOf(json, "github_actions_variable"))
        .filter((v) => v.repository === repository)
        .map((v) => [v.variable_name as string, v.value as string]),
    );

  it("configures the GitHub provider with the owner and no token (GITHUB_TOKEN from the environment)", () => {
    expect(text).toHaveProviderWithProperties(GithubProvider, { owner: "acme-shop" });
    expect(json.provider?.github).toEqual([{ owner: "acme-shop" }]);
    expect(text).not.toMatch(/"token"|ghp_|github_pat_/);
  });

  it("keeps its state in the remote backend and reads no other stack's state (bootstrap)", () => {
    expect(json.terraform?.backend?.s3).toMatchObject({ key: "acme-shop/github-repos.tfstate" });
    expect(json.data?.terraform_remote_state).toBeUndefined();
    // Ordered after the OIDC stacks, whose roles it names.
    expect(app.dependencies["github-repos"].sort()).toEqual([
      "github-oidc",
      "github-oidc-222222222222",
    ]);
  });

  it("writes the publisher role the OIDC stack creates as the app repository's AWS_ROLE_ARN secret", () => {
    expect(text).toHaveResourceWithProperties(ActionsSecret, {
      repository: "shop-app",
      secret_name: "AWS_ROLE_ARN",
      plaintext_value: "arn:aws:iam::111111111111:role/acme-shop-github-image-publisher",
    });
    const secrets = Object.values(resourcesOf(json, "github_actions_secret"));
    expect(secrets).toHaveLength(1);
    expect(createdRoles).toContain(String(secrets[0].plaintext_value));
  });

  it("gives the app repository region, registry, repositories, release tag and pipelines", () => {
    const app_ = variables("shop-app");
    expect(Object.keys(app_).sort()).toEqual([
      "AWS_REGION",
      "ECR_REGISTRY",
      "ECR_REPOSITORIES",
      "IMAGE_PLATFORMS",
      "IMAGE_RELEASE_TAG",
      "PIPELINE_NAMES",
      "SERVICES",
    ]);
    // The image must match the task's CPU architecture (web runs on ARM64 in the example).
    expect(JSON.parse(app_.IMAGE_PLATFORMS)).toEqual({ api: "linux/amd64", web: "linux/arm64" });
    expect(app_.AWS_REGION).toBe("eu-west-1");
    expect(app_.ECR_REGISTRY).toBe("111111111111.dkr.ecr.eu-west-1.amazonaws.com");
    expect(JSON.parse(app_.SERVICES)).toEqual(["api", "web"]);
    expect(app_.IMAGE_RELEASE_TAG).toBe("release");
    expect(JSON.parse(app_.PIPELINE_NAMES)).toEqual({
      api: "acme-shop-api-delivery",
      web: "acme-shop-web-delivery",
    });
    const repositories = JSON.parse(app_.ECR_REPOSITORIES) as Record<string, string>;
    expect(repositories).toEqual({ api: "acme-shop/api", web: "acme-shop/web" });
    // The repositories the ecr stack really creates.
    expect(Object.values(repositories).sort()).toEqual(repositoryNames.sort());
  });

  it("gives the infra repository its plan and apply roles (tooling account, and by account)", () => {
    const infra = variables("shop-infra");
    expect(Object.keys(infra).sort()).toEqual(Object.values(INFRA_REPO_VARIABLES).sort());
    expect(infra[INFRA_REPO_VARIABLES.planRoleArn]).toBe(
      "arn:aws:iam::111111111111:role/acme-shop-github-infra-plan",
    );
    expect(infra[INFRA_REPO_VARIABLES.applyRoleArn]).toBe(
      "arn:aws:iam::111111111111:role/acme-shop-github-infra-apply",
    );
    expect(infra[INFRA_REPO_VARIABLES.awsRegion]).toBe("eu-west-1");
    const applyByAccount = JSON.parse(infra.INFRA_APPLY_ROLE_ARNS) as Record<string, string>;
    const planByAccount = JSON.parse(infra.INFRA_PLAN_ROLE_ARNS) as Record<string, string>;
    expect(Object.keys(applyByAccount)).toEqual(["111111111111", "222222222222"]);
    expect(Object.keys(planByAccount)).toEqual(["111111111111", "222222222222"]);
    // Every ARN CI will assume is a role some OIDC stack creates, in the account it is keyed by.
    for (const [account, arn] of [
      ...Object.entries(applyByAccount),
      ...Object.entries(planByAccount),
    ]) {
      expect(createdRoles).toContain(arn);
      expect(arn.startsWith(`arn:aws:iam::${account}:role/`)).toBe(true);
    }
  });

  it("creates staging and production environments that only the apply branch can deploy from", () => {
    const environments = Object.values(resourcesOf(json, "github_repository_environment"));
    expect(environments.map((e) => e.environment).sort()).toEqual(["production", "staging"]);
    for (const name of ["staging", "production"]) {
      expect(text).toHaveResourceWithProperties(RepositoryEnvironment, {
        repository: "shop-infra",
        environment: name,
        can_admins_bypass: false,
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      });
      expect(text).toHaveResourceWithProperties(RepositoryEnvironmentDeploymentPolicy, {
        repository: "shop-infra",
        environment: `\${github_repository_environment.env-${name}.environment}`,
        branch_pattern: "main",
      });
    }
  });

  it("gives the apply environment its required reviewers, resolved by the GitHub provider, and no self-review", () => {
    const production = resourcesOf(json, "github_repository_environment")["env-production"];
    expect(production.prevent_self_review).toBe(true);
    expect(production.reviewers).toEqual([
      { teams: ["${data.github_team.reviewer-team-platform-admins.id}"], users: [] },
    ]);
    expect(json.data?.github_team?.["reviewer-team-platform-admins"]).toMatchObject({
      slug: "platform-admins",
    });
    // Other environments gate nothing CI applies: no reviewers there.
    expect(
      resourcesOf(json, "github_repository_environment")["env-staging"].reviewers,
    ).toBeUndefined();
  });

  /* The varied config: infraApplyEnvironment infra-apply, applyReviewers { users: [octocat] }. */
  describe("with an apply environment of its own, reviewed by a user", () => {
    const varied = synthApp(variedConfig()).stacks["github-repos"];
    const environments = resourcesOf(varied, "github_repository_environment");

    it("adds the apply environment when it is not a platform environment", () => {
      const names = Object.values(environments).map((e) => e.environment);
      expect(names.sort()).toEqual(["infra-apply", "production", "staging"]);
    });

    it("puts the reviewers on the apply environment only", () => {
      expect(environments["env-infra-apply"]).toMatchObject({
        prevent_self_review: true,
        reviewers: [{ teams: [], users: ["${data.github_user.reviewer-user-octocat.id}"] }],
      });
      expect(environments["env-production"].reviewers).toBeUndefined();
    });
  });

  it("writes identifiers only", () => {
    expect(text).toHaveResourceWithProperties(ActionsVariable, { variable_name: "ECR_REGISTRY" });
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|BEGIN [A-Z ]*PRIVATE KEY|secret_key|access_key/);
  });
});
