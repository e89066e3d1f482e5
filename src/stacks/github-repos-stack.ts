import { ActionsSecret } from "@cdktf/provider-github/lib/actions-secret";
import { ActionsVariable } from "@cdktf/provider-github/lib/actions-variable";
import { DataGithubTeam } from "@cdktf/provider-github/lib/data-github-team";
import { DataGithubUser } from "@cdktf/provider-github/lib/data-github-user";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { Token } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { remoteExecution } from "../model/hcp-names";
import { suppressGuard } from "../policies/guard/suppress";
import { ecrRepositoryName } from "../model/ecr-names";
import { roleArn } from "../config/naming";
import { githubRoleNames } from "../model/github-role-names";
import { infraGithubEnvironments } from "../model/github-subjects";
import { INFRA_REPO_VARIABLES } from "./github-variable-names";
import { platformAccounts } from "../model/targets";
import { PlatformStack } from "./platform-stack";
import { platformModel } from "../model/platform-model";

/**
 * The names the app repository's workflow reads. Its example workflow
 * (examples/app-repo/.github/workflows/publish-image.yml) uses exactly these; a test keeps both
 * in sync.
 */
export const APP_REPO_SECRETS = {
  /** The image publisher role ARN (an identifier, not a credential). */
  roleArn: "AWS_ROLE_ARN",
} as const;

export const APP_REPO_VARIABLES = {
  region: "AWS_REGION",
  /** `<account>.dkr.ecr.<region>.amazonaws.com` */
  registry: "ECR_REGISTRY",
  /** JSON array of service names, for a build matrix. */
  services: "SERVICES",
  /** JSON object: service -> repository name (`<project>/<service>`). */
  repositories: "ECR_REPOSITORIES",
  /** The tag the delivery pipeline's ECR source watches. */
  releaseTag: "IMAGE_RELEASE_TAG",
  /** JSON object: service -> CodePipeline name (informational; pushes start it). */
  pipelines: "PIPELINE_NAMES",
  /**
   * JSON object: service -> Docker platform of its tasks (`linux/amd64` or `linux/arm64`, from
   * `services[].architecture`). The image must be built for it: an ARM64 task cannot run an
   * amd64 image, which is what an x86 runner builds by default.
   */
  platforms: "IMAGE_PLATFORMS",
} as const;

/** Docker platform of a Fargate task architecture. */
const DOCKER_PLATFORMS = { X86_64: "linux/amd64", ARM64: "linux/arm64" } as const;

export interface GithubReposStackProps {
  readonly config: PlatformConfig;
}

/**
 * The GitHub side: Actions secrets and variables of the app and infra repositories, and the infra
 * repository's deployment environments. Everything written is an identifier (role ARNs, names,
 * regions), never a credential. The role ARNs and repository names are derived from config, not
 * read from the GitHub OIDC and `ecr` stacks' state: this stack is part of the bootstrap (it
 * creates the variables and the apply environment CI needs before CI can run anything), so it
 * must plan before those stacks' state exists. The GitHub provider is not available offline, so this stack is
 * type-checked and unit-tested here and validated by the infra repository's CI.
 */
export class GithubReposStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: GithubReposStackProps) {
    super(scope, id, { config: props.config });
    const { config } = props;
    const github = config.github;

    // No `token`: the provider reads GITHUB_TOKEN from the environment, so no credential ever
    // enters config, code or the synthesized JSON (see docs/github.md for the scopes it needs).
    new GithubProvider(this, "github", { owner: github.owner });

    const app = github.appRepository;
    const model = platformModel(config);
    const tooling = model.tooling;
    const services = config.services.map((s) => s.name);
    const roleNames = githubRoleNames(config);
    const accounts = platformAccounts(config);
    const rolesByAccount = (name: string) =>
      Object.fromEntries(accounts.map((account) => [account, roleArn(account, name)]));

    // plaintext_value is sent encrypted to GitHub, but Terraform keeps it in state: fine for a
    // role ARN (an identifier), never for a credential.
    const roleSecret = new ActionsSecret(this, "app-role-arn", {
      repository: app,
      secretName: APP_REPO_SECRETS.roleArn,
      plaintextValue: roleArn(tooling.accountId, roleNames.publisher),
    });
    suppressGuard(
      roleSecret,
      "NO_LITERAL_CREDENTIALS",
      "the value is the publisher role's ARN, an identifier derived from config, not a credential; " +
        "it is an Actions secret only so that workflow logs mask the account id",
    );
    const appVariables: Record<keyof typeof APP_REPO_VARIABLES, string> = {
      region: tooling.region,
      registry: `${tooling.accountId}.dkr.ecr.${tooling.region}.amazonaws.com`,
      services: JSON.stringify(services),
      repositories: JSON.stringify(
        Object.fromEntries(services.map((s) => [s, ecrRepositoryName(config, s)])),
      ),
      releaseTag: config.pipeline.sourceImageTag,
      pipelines: JSON.stringify(
        Object.fromEntries(services.map((s) => [s, model.pipelines[s].name])),
      ),
      platforms: JSON.stringify(
        Object.fromEntries(config.services.map((s) => [s.name, DOCKER_PLATFORMS[s.architecture]])),
      ),
    };
    for (const [key, name] of Object.entries(APP_REPO_VARIABLES)) {
      new ActionsVariable(this, `app-${key}`, {
        repository: app,
        variableName: name,
        value: appVariables[key as keyof typeof APP_REPO_VARIABLES],
      });
    }

    const infra = github.infraRepository;
    // The infra workflows assume the tooling account's role, and each stack runs with the role of
    // the one account it targets (scripts/ci/terraform-stacks.sh reads the per-account maps).
    // With HCP Terraform remote execution the deploy job applies through HCP runs, which assume
    // the HCP apply roles themselves: no GitHub apply role exists, and none is named here (the
    // deploy workflow then configures no AWS credentials).
    const infraVariables: Record<string, string> = {
      [INFRA_REPO_VARIABLES.planRoleArn]: roleArn(tooling.accountId, roleNames.plan),
      [INFRA_REPO_VARIABLES.awsRegion]: tooling.region,
      [INFRA_REPO_VARIABLES.planRoleArns]: JSON.stringify(rolesByAccount(roleNames.plan)),
      ...(remoteExecution(config)
        ? {}
        : {
            [INFRA_REPO_VARIABLES.applyRoleArn]: roleArn(tooling.accountId, roleNames.apply),
            [INFRA_REPO_VARIABLES.applyRoleArns]: JSON.stringify(rolesByAccount(roleNames.apply)),
          }),
    };
    for (const [name, value] of Object.entries(infraVariables)) {
      new ActionsVariable(this, `infra-${name}`, {
        repository: infra,
        variableName: name,
        value,
      });
    }

    const reviewers = this.applyReviewers(config);
    for (const envName of infraGithubEnvironments(config)) {
      const isApply = envName === github.infraApplyEnvironment;
      const environment = new RepositoryEnvironment(this, `env-${envName}`, {
        repository: infra,
        environment: envName,
        // Admins cannot skip the branch rule: the apply role trusts this environment's `sub`
        // only because nothing but the apply branch can run in it.
        canAdminsBypass: false,
        // Custom branch policies name the one apply branch; "protected branches" would admit
        // any protected branch, and depend on branch protection this stack does not manage.
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        // The apply environment's reviewers are the gate before every apply (the apply role
        // trusts only its jobs), from the first apply on; whoever triggered a deploy cannot
        // approve it.
        ...(isApply && reviewers ? { reviewers: [reviewers], preventSelfReview: true } : {}),
      });
      new RepositoryEnvironmentDeploymentPolicy(this, `env-${envName}-branch`, {
        repository: infra,
        environment: environment.environment,
        branchPattern: github.infraApplyBranch,
      });
    }
  }

  /**
   * The apply environment's required reviewers, resolved from team slugs and user logins to the
   * numeric ids GitHub's API takes (data sources of the GitHub provider).
   */
  private applyReviewers(config: PlatformConfig): { teams: number[]; users: number[] } | undefined {
    const wanted = config.github.applyReviewers;
    if (!wanted || wanted.teams.length + wanted.users.length === 0) return undefined;
    return {
      teams: wanted.teams.map((slug) =>
        Token.asNumber(new DataGithubTeam(this, `reviewer-team-${slug}`, { slug }).id),
      ),
      users: wanted.users.map((username) =>
        Token.asNumber(new DataGithubUser(this, `reviewer-user-${username}`, { username }).id),
      ),
    };
  }
}
