import type { HcpState, PlatformConfig } from "../config";
import { effectiveServices } from "../config/effective-services";
import { accountTargets } from "./account-targets";
import { configRepositoryName, ecrRepositoryName } from "./ecr-names";
import { githubOidcStackId } from "./targets";
import { ciApplyIdentity, type CiToken } from "./ci-identity";
import { hcpProjectName, hcpState, hcpWorkspaceName, remoteExecution } from "./hcp-names";
import { pipelineAccessEnvironments } from "./targets";
import { environmentTarget, toolingTarget } from "./targets";
import { serviceSecretName } from "./targets";
import { STACK_IDS } from "./stack-ids";

/*
 * The first-deploy runbook as data: every stack in the order it is applied, who applies it with
 * which credentials, and the operator's steps at the point where later stacks need them. The
 * README's runbook is rendered from it, the rehearsal (src/rehearsal) walks it and checks AWS's
 * apply-time and first-run rules at each step, CI (scripts/stack-order.ts) reads which stacks it
 * may apply, and the Terraform tier plans each stack with the credentials its step names.
 */

/**
 * Who applies a stack. `administrator`: a person with administrator credentials in the stack's
 * account (bootstrap stacks, which create the CI roles or need a GitHub admin token). `ci`: the
 * infra repository's deploy workflow, with the apply role of the stack's account.
 */
export type Applier = "administrator" | "ci";

export interface ApplyStep {
  readonly kind: "apply";
  readonly stack: string;
  /** The one AWS account the stack writes to; undefined for a stack with no AWS provider. */
  readonly accountId?: string;
  readonly region?: string;
  /** Who applies it on day one. */
  readonly firstApply: Applier;
  /** Who applies it afterwards (bootstrap stacks that create CI roles stay administrator-only). */
  readonly laterApply: Applier;
  /** The role the applier's credentials are (CI: the account's infra apply role). */
  readonly roleArn?: string;
  /**
   * CI: the OIDC token that assumes `roleArn`: the deploy job's GitHub token, or with HCP
   * Terraform remote execution the workspace's apply-phase workload identity token.
   */
  readonly token?: CiToken;
  /** Whether the applier also needs the GitHub token (`GITHUB_TOKEN`). */
  readonly githubToken: boolean;
  /** Whether the applier also needs an HCP Terraform token for the tfe provider (`TFE_TOKEN`). */
  readonly tfeToken?: boolean;
  /** The state backend's account, when it differs from the stack's (administrator applies). */
  readonly backendAccountId?: string;
  /** Why an administrator applies it (bootstrap stacks). */
  readonly administratorBecause?: string;
}

/** What an operator step makes true, for the rehearsal to track. */
export type Provision =
  | { readonly kind: "secret-value"; readonly accountId: string; readonly name: string }
  | {
      readonly kind: "image";
      readonly accountId: string;
      readonly repository: string;
      readonly tag: string;
    }
  | { readonly kind: "codecommit-branch"; readonly repository: string; readonly branch: string }
  | {
      readonly kind: "connection-ready";
      readonly connectionArn: string;
      readonly repository: string;
      readonly branch: string;
    }
  | { readonly kind: "subscriptions-confirmed" }
  | { readonly kind: "state-migrated" }
  | { readonly kind: "hcp-organization" };

export type OperatorAction =
  | "prepare-hcp"
  | "migrate-workspaces-state"
  | "migrate-state"
  | "set-secret-values"
  | "publish-images"
  | "seed-config-repository"
  | "complete-connection"
  | "connect-frontend"
  | "check-quotas"
  | "confirm-subscriptions";

export interface OperatorStep {
  readonly kind: "operator";
  readonly action: OperatorAction;
  /** One line: what to do. */
  readonly title: string;
  /** Why it is needed at this point. */
  readonly why: string;
  /** Shell commands or console steps, in order. */
  readonly instructions: readonly string[];
  readonly provides: readonly Provision[];
}

export type RunbookStep = ApplyStep | OperatorStep;

export interface Runbook {
  readonly steps: readonly RunbookStep[];
}

/** The apply steps only, in order. */
export function applySteps(runbook: Runbook): ApplyStep[] {
  return runbook.steps.filter((s): s is ApplyStep => s.kind === "apply");
}

/** Stacks CI must never apply: they create or change the roles CI itself assumes. */
export function administratorOnlyStacks(runbook: Runbook): string[] {
  return applySteps(runbook)
    .filter((s) => s.laterApply === "administrator")
    .map((s) => s.stack);
}

/** The first-deploy runbook of a config. */
export function firstDeployRunbook(config: PlatformConfig): Runbook {
  const steps: RunbookStep[] = [];
  const tooling = toolingTarget(config);
  const stateAccount = config.state.backend === "s3" ? config.state.accountId : undefined;
  const ci = (stack: string, accountId: string, region: string): ApplyStep => ({
    kind: "apply",
    stack,
    accountId,
    region,
    firstApply: "ci",
    laterApply: "ci",
    ...ciApplyIdentity(config, stack, accountId),
    githubToken: false,
  });

  // 1. Bootstrap, by administrators: nothing else can run before the state bucket (or the HCP
  // Terraform workspaces) and the CI roles.
  const hcp = hcpState(config);
  if (hcp) steps.push(...hcpBootstrap(config, hcp));
  if (config.state.backend === "s3") {
    steps.push({
      kind: "apply",
      stack: STACK_IDS.state,
      accountId: config.state.accountId,
      region: config.state.region,
      firstApply: "administrator",
      laterApply: "administrator",
      githubToken: false,
      administratorBecause:
        "it creates the bucket every other stack keeps its state in, so it starts with local state, which a CI runner would lose",
    });
    steps.push({
      kind: "operator",
      action: "migrate-state",
      title: "Move the state stack's own state into the bucket it created",
      why: "the state stack starts with local state (the bucket does not exist before it); in the bucket it is versioned, encrypted and shared",
      instructions: [
        "set `state.stateStackBackend: s3` in the config and run `npm run synth`",
        `terraform -chdir=cdktf.out/stacks/${STACK_IDS.state} init -migrate-state`,
        `terraform -chdir=cdktf.out/stacks/${STACK_IDS.state} plan  # no changes; then delete terraform.${STACK_IDS.state}.tfstate`,
      ],
      provides: [{ kind: "state-migrated" }],
    });
  }
  for (const target of accountTargets(config)) {
    steps.push({
      kind: "apply",
      stack: githubOidcStackId(config, target.accountId),
      accountId: target.accountId,
      region: target.region,
      firstApply: "administrator",
      // The CI roles are never applied by CI: the apply role cannot change itself.
      laterApply: "administrator",
      githubToken: false,
      backendAccountId:
        stateAccount && stateAccount !== target.accountId ? stateAccount : undefined,
      administratorBecause:
        "it creates the roles CI assumes, and CI never changes its own roles: after day one an administrator applies it once the pull request's plan was reviewed",
    });
  }
  steps.push({
    kind: "apply",
    stack: STACK_IDS.githubRepos,
    firstApply: "administrator",
    // CI needs the variables and the apply environment this stack writes before it can run.
    laterApply: "ci",
    githubToken: true,
    backendAccountId: stateAccount,
    administratorBecause:
      "CI needs the variables and the apply environment it writes before it can run; the deploy workflow applies it afterwards",
  });

  // 2. CI: the foundations that operators then fill.
  steps.push(ci(STACK_IDS.ecr, tooling.accountId, tooling.region));
  const environments = Object.keys(config.environments);
  for (const env of environments) {
    const target = environmentTarget(config, env);
    steps.push(ci(STACK_IDS.network(env), target.accountId, target.region));
    steps.push(ci(STACK_IDS.secrets(env), target.accountId, target.region));
  }

  // 3. Operator: what only the operator can provide, before anything uses it.
  const secretNames = environments.flatMap((env) =>
    effectiveServices(config, env).flatMap((service) =>
      service.secrets.map((key) => ({
        accountId: environmentTarget(config, env).accountId,
        region: environmentTarget(config, env).region,
        name: serviceSecretName(config, env, service.name, key),
      })),
    ),
  );
  if (secretNames.length > 0) {
    steps.push({
      kind: "operator",
      action: "set-secret-values",
      title: "Set every secret's value",
      why: "ECS tasks whose secrets have no value fail to start (ResourceInitializationError), and the services stacks start tasks",
      instructions: secretNames.map(
        (s) =>
          `aws secretsmanager put-secret-value --region ${s.region} --secret-id ${s.name} --secret-string file://value.txt  # account ${s.accountId}`,
      ),
      provides: secretNames.map((s) => ({
        kind: "secret-value",
        accountId: s.accountId,
        name: s.name,
      })),
    });
  }
  const tag = config.pipeline.sourceImageTag;
  steps.push({
    kind: "operator",
    action: "publish-images",
    title: `Publish the first image of every service (tag \`${tag}\`)`,
    why:
      "the first task definitions run `<repository>:" +
      tag +
      "`, and a pipeline's ECR source fails its first run (started when the pipeline is created) while the tag does not exist",
    instructions: [
      `run the publish workflow of ${config.github.owner}/${config.github.appRepository} on ${config.github.deployBranch} (Actions, "Run workflow"), or push to ${config.github.deployBranch}`,
      ...config.services.map(
        (s) =>
          `aws ecr describe-images --region ${tooling.region} --repository-name ${ecrRepositoryName(config, s.name)} --image-ids imageTag=${tag}  # must list one image`,
      ),
    ],
    provides: config.services.map((s) => ({
      kind: "image",
      accountId: tooling.accountId,
      repository: ecrRepositoryName(config, s.name),
      tag,
    })),
  });
  const source = config.pipeline.configSource;
  if (source.type === "codecommit") {
    const repository = configRepositoryName(config);
    steps.push({
      kind: "operator",
      action: "seed-config-repository",
      title: `Create branch \`${source.branch}\` of the deploy-config repository ${repository}`,
      why: "CodePipeline starts a run when a pipeline is created; a CodeCommit source whose branch does not exist fails it (and every later run) at Source",
      instructions: [
        `aws codecommit put-file --region ${tooling.region} --repository-name ${repository} --branch-name ${source.branch} --file-path README.md --file-content fileb://examples/deploy-config/README.md --commit-message "Deploy config"`,
        "then push examples/deploy-config (and your tests/<service>/smoke.sh) to that branch as you like",
      ],
      provides: [{ kind: "codecommit-branch", repository, branch: source.branch }],
    });
  } else if (source.type === "github") {
    const repository =
      source.repository ?? `${config.github.owner}/${config.github.infraRepository}`;
    steps.push({
      kind: "operator",
      action: "complete-connection",
      title: `Complete the CodeConnections handshake and commit the deploy config to ${repository}@${source.branch}`,
      why: "a connection stays PENDING until someone completes its handshake in the console, and a pending connection or a missing branch fails every run at Source",
      instructions: [
        "AWS console > Developer Tools > Settings > Connections > the connection > Update pending connection > install or choose the GitHub App for the repository",
        `aws codeconnections get-connection --connection-arn ${source.connectionArn}  # ConnectionStatus: AVAILABLE`,
        `commit examples/deploy-config (and your tests/<service>/smoke.sh) to ${repository} branch ${source.branch}`,
      ],
      provides: [
        {
          kind: "connection-ready",
          connectionArn: source.connectionArn,
          repository,
          branch: source.branch,
        },
      ],
    });
  }

  const frontendEnvs = environments.filter(
    (env) =>
      config.frontend && config.github.frontendRepository && config.environments[env].frontend,
  );
  if (frontendEnvs.length > 0) {
    const repository = `${config.github.owner}/${config.github.frontendRepository}`;
    steps.push({
      kind: "operator",
      action: "connect-frontend",
      title: `Install the AWS Amplify GitHub App on ${repository} and provide its token`,
      why: "Amplify's CreateApp uses the token through the Amplify GitHub App and fails without it; the services stacks create the Amplify apps",
      instructions: [
        `GitHub: install "AWS Amplify" (github.com/apps/aws-amplify-<region>) for ${repository}`,
        // HCP remote runs get it too: CLI-driven runs send TF_VAR_ values as run variables.
        "set the infra repository's Actions secret AMPLIFY_GITHUB_TOKEN (CI passes it as TF_VAR_amplify_github_token)",
        ...frontendEnvs.map(
          (env) =>
            `after services-${env}: the first build starts with the next push to ${config.environments[env].frontend?.branch}, or: aws amplify start-job --app-id <id> --branch-name ${config.environments[env].frontend?.branch} --job-type RELEASE`,
        ),
      ],
      provides: [],
    });
  }

  steps.push({
    kind: "operator",
    action: "check-quotas",
    title: "Check the quotas the first release needs",
    why: `every pipeline starts a build when it is created (${config.services.length} at once), and new accounts often allow fewer concurrent CodeBuild builds, which fails the Build stage (AccountLimitExceededException)`,
    instructions: [
      `aws service-quotas list-service-quotas --region ${tooling.region} --service-code codebuild --query "Quotas[?contains(QuotaName, 'Concurrently running builds for Linux/Small')].Value"  # at least ${config.services.length}`,
      "raise it in Service Quotas if it is lower (or re-run the Build stage once the first builds finish)",
    ],
    provides: [],
  });

  // 4. CI: the services, the deploy roles, then the pipelines (which start their first run).
  for (const env of environments) {
    const target = environmentTarget(config, env);
    steps.push(ci(STACK_IDS.services(env), target.accountId, target.region));
  }
  for (const env of pipelineAccessEnvironments(config)) {
    const target = environmentTarget(config, env);
    steps.push(ci(STACK_IDS.pipelineAccess(env), target.accountId, target.region));
  }
  steps.push(ci(STACK_IDS.pipeline, tooling.accountId, tooling.region));

  const emails = [
    ...new Set([
      ...config.pipeline.approvers,
      ...Object.values(config.environments).flatMap(
        (env) => env.alarmEmails ?? config.pipeline.approvers,
      ),
    ]),
  ].sort();
  steps.push({
    kind: "operator",
    action: "confirm-subscriptions",
    title: "Confirm the SNS email subscriptions (approvals and alarms)",
    why: "SNS delivers nothing to an address until its owner confirms; Terraform can neither confirm nor delete a pending subscription. The first release waits at the approval meanwhile (approve it in the console if its email came first)",
    instructions: emails.map(
      (e) => `${e}: open "AWS Notification - Subscription Confirmation" and confirm`,
    ),
    provides: [{ kind: "subscriptions-confirmed" }],
  });
  return { steps };
}

/**
 * HCP Terraform's bootstrap: what only a person can do (the organization and a token: HCP has no
 * API to create an organization from nothing, and a token cannot create itself), then the
 * workspaces stack, first with local state (its own workspace does not exist yet), then moved
 * into the workspace it created for itself.
 */
function hcpBootstrap(config: PlatformConfig, hcp: HcpState): RunbookStep[] {
  const own = hcpWorkspaceName(hcp, config, STACK_IDS.hcpWorkspaces);
  const dir = `cdktf.out/stacks/${STACK_IDS.hcpWorkspaces}`;
  return [
    {
      kind: "operator",
      action: "prepare-hcp",
      title: `Create the HCP Terraform organization \`${hcp.organization}\` and the tokens`,
      why: "an organization cannot be created through Terraform from nothing (the API needs a user token of an account that then owns it), and a token cannot create itself",
      instructions: [
        `${hcp.hostname}: create (or choose) the organization ${hcp.organization}; its owners team may manage projects and workspaces`,
        `terraform login ${hcp.hostname}  # a user token for your administrator runs (state, locks and the tfe provider)`,
        ...(remoteExecution(config)
          ? [
              "create two teams: a plan team whose project access may only queue plans (custom: runs = plan, variables and settings read; state versions: read on the bootstrap workspaces only, whose plans run locally without locking) and a deploy team with write access; put the plan team's token into the infra repository's Actions secret TF_API_TOKEN (pull requests, drift) and the deploy team's into the same-named secret of its apply environment, which overrides it there: only reviewed deploy jobs can confirm an apply, which assumes the HCP apply role",
            ]
          : [
              "create a team token of a team with write access to the project's workspaces and put it into the infra repository's Actions secret TF_API_TOKEN (CI's state access)",
            ]),
      ],
      provides: [{ kind: "hcp-organization" }],
    },
    {
      kind: "apply",
      stack: STACK_IDS.hcpWorkspaces,
      firstApply: "administrator",
      laterApply: "administrator",
      githubToken: false,
      tfeToken: true,
      administratorBecause: `it creates the project ${hcpProjectName(hcp, config)}, one workspace per stack (execution mode, who may read whose state) and ${remoteExecution(config) ? "the dynamic-credential variables naming the roles remote runs assume" : "their settings"}; like the CI roles, CI never changes what its own runs are allowed to do`,
    },
    {
      kind: "operator",
      action: "migrate-workspaces-state",
      title: `Move the workspaces stack's state into its workspace ${own}`,
      why: "the workspaces stack starts with local state (its workspace does not exist before it); in HCP Terraform it is versioned, locked and shared",
      instructions: [
        "set `state.workspacesStackBackend: hcp` in the config and run `npm run synth`",
        `terraform -chdir=${dir} init  # answer yes when it offers to migrate the local state (-migrate-state does not apply to HCP Terraform)`,
        `terraform -chdir=${dir} plan  # no changes; then delete terraform.${STACK_IDS.hcpWorkspaces}.tfstate`,
      ],
      provides: [{ kind: "state-migrated" }],
    },
  ];
}
