import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { GithubOidcProvider } from "../constructs/github-oidc-provider";
import { GithubOidcRole } from "../constructs/github-oidc-role";
import { applyPolicies } from "../policies/github-infra-apply";
import { planPolicy, READ_ONLY_ACCESS_ARN } from "../policies/github-infra-plan";
import { publisherPolicy } from "../policies/github-publisher";
import type { StateLocation } from "../policies/terraform-state-access";
import { accountRegions, accountTargets } from "./account-targets";
import type { EcrOutputs, GithubOidcOutputs } from "./contracts";
import { githubRoleNames } from "./github-role-names";
import { githubSubjects } from "./github-subjects";
import { PlatformStack } from "./platform-stack";
import { stateBucketName, stateKeyAlias } from "./state-names";

export interface GithubOidcStackProps {
  readonly config: PlatformConfig;
  /** The repositories the image publisher may push to, and their key. */
  readonly ecr: EcrOutputs;
}

/**
 * The AWS side of GitHub Actions OIDC. In every platform account: the GitHub OIDC provider, an
 * infra-plan role (the infra repository's pull requests) and an infra-apply role (its apply
 * branch and GitHub environments). In the tooling account only: the image publisher role (the
 * app repository's deploy branch), which may push to this platform's ECR repositories and nothing
 * else. Trust policies pin `aud` and the exact `sub` values with StringEquals.
 */
export class GithubOidcStack extends PlatformStack {
  readonly outputs: GithubOidcOutputs;

  constructor(scope: Construct, id: string, props: GithubOidcStackProps) {
    super(scope, id, { config: props.config });
    const config = props.config;
    const subjects = githubSubjects(config);
    const roleNames = githubRoleNames(config);
    const state = stateLocation(config);
    const [tooling, ...others] = accountTargets(config);
    const planRoleArns: Record<string, string> = {};
    const applyRoleArns: Record<string, string> = {};
    let publisherRoleArn = "";

    for (const target of [tooling, ...others]) {
      const account = target.accountId;
      const isTooling = account === tooling.accountId;
      // The tooling account's provider is the stack's default; other accounts get an alias.
      const provider: AwsProvider = isTooling
        ? this.addAwsProvider(target)
        : this.addAwsProvider(target, `acct-${account}`);
      const boundary = boundaryIn(config.github.permissionsBoundaryArn, account);
      const oidc = new GithubOidcProvider(this, `oidc-${account}`, { provider });

      const plan = new GithubOidcRole(this, `plan-${account}`, {
        provider,
        roleName: roleNames.plan,
        description: `${config.github.owner}/${config.github.infraRepository} pull requests: terraform plan`,
        providerArn: oidc.arn,
        subjects: subjects.plan,
        permissionsBoundaryArn: boundary,
      });
      plan.attachManagedPolicy("read-only", READ_ONLY_ACCESS_ARN);
      plan.addPolicy("plan", planPolicy(state));
      planRoleArns[account] = plan.arn;

      const apply = new GithubOidcRole(this, `apply-${account}`, {
        provider,
        roleName: roleNames.apply,
        description: `${config.github.owner}/${config.github.infraRepository} ${config.github.infraApplyBranch} and environments: cdktf deploy`,
        providerArn: oidc.arn,
        // Per account: a job of an environment that lives elsewhere never gets this account's
        // write access (the deploy job's apply environment is trusted everywhere).
        subjects: subjects.apply,
        permissionsBoundaryArn: boundary,
      });
      apply.attachManagedPolicy("read-only", READ_ONLY_ACCESS_ARN);
      const documents = applyPolicies({
        project: config.project,
        accountId: account,
        regions: [
          ...new Set([...accountRegions(config, account), ...(state ? [state.region] : [])]),
        ].sort(),
        hostedZoneIds: Object.values(config.environments)
          .filter((env) => env.accountId === account)
          .map((env) => env.dns.hostedZoneId),
        state,
        // Only the apply role hops into deploy roles: the plan role (pull requests) must not
        // gain their write access; plans of other accounts use those accounts' plan roles.
        assumableRoleArns: assumableRoles(config),
      });
      for (const [part, document] of Object.entries(documents)) {
        apply.addManagedPolicy(
          `apply-${part}`,
          this.naming.name(`github-infra-apply-${part}`, "iamPolicy"),
          document,
        );
      }
      applyRoleArns[account] = apply.arn;

      if (isTooling) {
        const publisher = new GithubOidcRole(this, "publisher", {
          provider,
          roleName: roleNames.publisher,
          description: `${config.github.owner}/${config.github.appRepository} ${config.github.deployBranch}: push images to ECR`,
          providerArn: oidc.arn,
          subjects: subjects.publisher,
          permissionsBoundaryArn: boundary,
        });
        publisher.addPolicy(
          "push-images",
          publisherPolicy({
            region: tooling.region,
            repositoryArns: config.services.map((s) => repositoryArn(props.ecr, s.name)),
            kmsKeyArn: props.ecr.kmsKeyArn,
          }),
        );
        publisherRoleArn = publisher.arn;
      }
    }

    this.outputs = { publisherRoleArn, planRoleArns, applyRoleArns };
  }
}

function repositoryArn(ecr: EcrOutputs, service: string): string {
  const repository = ecr.repositories[service];
  if (!repository) throw new Error(`EcrOutputs has no repository for service ${service}`);
  return repository.arn;
}

/** The S3 backend's state, or undefined with HCP Terraform (which holds state itself). */
function stateLocation(config: PlatformConfig): StateLocation | undefined {
  if (config.state.backend !== "s3") return undefined;
  return {
    bucket: stateBucketName(config),
    prefix: config.project,
    region: config.state.region,
    accountId: config.state.accountId,
    keyAlias: stateKeyAlias(config),
  };
}

/** The roles providers and the backend assume (each environment's deployRoleArn, state.roleArn). */
function assumableRoles(config: PlatformConfig): string[] {
  const arns = Object.values(config.environments).map((env) => env.deployRoleArn);
  if (config.state.backend === "s3") arns.push(config.state.roleArn);
  return [...new Set(arns.filter((a): a is string => a !== undefined))].sort();
}

/** A customer managed boundary is the policy of the same path and name in each account. */
export function boundaryIn(arn: string | undefined, accountId: string): string | undefined {
  if (!arn) return undefined;
  return arn.replace(/^arn:aws:iam::\d{12}:/, `arn:aws:iam::${accountId}:`);
}
