import { ActionsSecret } from "@cdktf/provider-github/lib/actions-secret";
import { ActionsVariable } from "@cdktf/provider-github/lib/actions-variable";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { describe, expect, it } from "vitest";
import { INFRA_REPO_VARIABLES } from "../../src/stacks/github-variable-names";
import { exampleConfig } from "../helpers/config";
import { resourcesOf, synthApp } from "../helpers/synth";

const REMOTE =
  /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-github-oidc\.outputs\.cross-stack-output-aws_iam_role/;

describe("github-repos stack", () => {
  const app = synthApp(exampleConfig());
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

  it("keeps its state in the remote backend and reads the roles from github-oidc", () => {
    expect(json.terraform?.backend?.s3).toMatchObject({ key: "acme-shop/github-repos.tfstate" });
    expect(app.dependencies["github-repos"].sort()).toEqual(["ecr", "github-oidc"]);
  });

  it("writes the publisher role ARN as the app repository's AWS_ROLE_ARN secret", () => {
    expect(text).toHaveResourceWithProperties(ActionsSecret, {
      repository: "shop-app",
      secret_name: "AWS_ROLE_ARN",
      plaintext_value: expect.stringMatching(REMOTE),
    });
    const secrets = Object.values(resourcesOf(json, "github_actions_secret"));
    expect(secrets).toHaveLength(1);
    expect(String(secrets[0].plaintext_value)).toContain("publisher");
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
    expect(Object.keys(repositories)).toEqual(["api", "web"]);
    expect(repositories.api).toMatch(
      /cross-stack-reference-input-ecr\.outputs\.cross-stack-output-aws_ecr_repositoryapi_\w+name\}$/,
    );
  });

  it("gives the infra repository its plan and apply roles (tooling account, and by account)", () => {
    const infra = variables("shop-infra");
    expect(Object.keys(infra).sort()).toEqual(Object.values(INFRA_REPO_VARIABLES).sort());
    expect(infra[INFRA_REPO_VARIABLES.planRoleArn]).toMatch(
      /aws_iam_roleplan-111111111111_\w+arn\}$/,
    );
    expect(infra[INFRA_REPO_VARIABLES.applyRoleArn]).toMatch(
      /aws_iam_roleapply-111111111111_\w+arn\}$/,
    );
    expect(infra[INFRA_REPO_VARIABLES.awsRegion]).toBe("eu-west-1");
    const applyByAccount = JSON.parse(infra.INFRA_APPLY_ROLE_ARNS) as Record<string, string>;
    expect(Object.keys(applyByAccount)).toEqual(["111111111111", "222222222222"]);
    expect(applyByAccount["222222222222"]).toMatch(/aws_iam_roleapply-222222222222_\w+arn\}$/);
    const planByAccount = JSON.parse(infra.INFRA_PLAN_ROLE_ARNS) as Record<string, string>;
    expect(planByAccount["222222222222"]).toMatch(/aws_iam_roleplan-222222222222_\w+arn\}$/);
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

  it("adds the apply environment when it is not a platform environment", () => {
    const other = synthApp(
      exampleConfig((c) => {
        c.github.infraApplyEnvironment = "infra-apply";
      }),
    ).stacks["github-repos"];
    const names = Object.values(resourcesOf(other, "github_repository_environment")).map(
      (e) => e.environment,
    );
    expect(names.sort()).toEqual(["infra-apply", "production", "staging"]);
  });

  it("writes identifiers only", () => {
    expect(text).toHaveResourceWithProperties(ActionsVariable, { variable_name: "ECR_REGISTRY" });
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|BEGIN [A-Z ]*PRIVATE KEY|secret_key|access_key/);
  });
});
