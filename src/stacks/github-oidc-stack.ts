import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { GithubOidcProvider } from "../constructs/github-oidc-provider";
import { GithubOidcRole, type OidcRole } from "../constructs/github-oidc-role";
import { HcpRunRoles } from "../constructs/hcp-run-roles";
import { ciStacks } from "../model/ci-stacks";
import {
  HCP_AWS_AUDIENCE,
  hcpProjectName,
  hcpRoleNames,
  hcpState,
  hcpSubject,
  remoteExecution,
} from "../model/hcp-names";
import { applyPolicies, PASS_ROLE_SERVICES } from "../policies/github-infra-apply";
import { configurationReadPolicy } from "../policies/configuration-reads";
import { planPolicy } from "../policies/github-infra-plan";
import { renderPolicy } from "../policies/document";
import { publisherPolicy } from "../policies/github-publisher";
import { suppressGuard } from "../policies/guard/suppress";
import {
  BOUNDARY_PATH,
  boundaryArn,
  boundaryName,
  platformBoundary,
} from "../policies/permissions-boundary";
import type { StateLocation } from "../policies/terraform-state-access";
import { accountRegions } from "../model/account-targets";
import { ecrKeyAlias, ecrRepositoryArn } from "../model/ecr-names";
import { configBucketName } from "../model/pipeline-resource-names";
import { githubRoleNames } from "../model/github-role-names";
import { githubSubjects } from "../model/github-subjects";
import type { AwsTarget } from "../model/targets";
import { defaultTagKeys, PlatformStack } from "./platform-stack";
import { stateBucketName, stateKeyAlias } from "../model/state-names";
import { platformModel } from "../model/platform-model";

export interface GithubOidcStackProps {
  readonly config: PlatformConfig;
  /** The one account (and region) this stack writes to. */
  readonly target: AwsTarget;
}

/**
 * The AWS side of GitHub Actions OIDC in ONE platform account: the GitHub OIDC provider, an
 * infra-plan role (the infra repository's pull requests) and an infra-apply role (its apply
 * environment); in the tooling account also the image publisher role (the app repository's
 * deploy branch), which may push to this platform's ECR repositories and nothing else. Trust
 * policies pin `aud` and the exact `sub` values with StringEquals.
 *
 * One stack per account, because one set of credentials reaches one account: a stack whose
 * providers target two accounts with `allowed_account_ids` can never be planned by anyone
 * (docs/first-deploy.md). These are bootstrap stacks: they create the roles CI assumes, so an
 * administrator of the account applies them, on day one and after; CI only plans them.
 * Everything they name is derived from config (role, repository and alias names), so they read
 * no other stack's state and can be applied before any other stack exists.
 */
export class GithubOidcStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: GithubOidcStackProps) {
    super(scope, id, { config: props.config });
    const { config, target } = props;
    const subjects = githubSubjects(config);
    const roleNames = githubRoleNames(config);
    const state = stateLocation(config);
    const tooling = platformModel(config).tooling;
    const account = target.accountId;
    const provider: AwsProvider = this.addAwsProvider(target);
    const attachable = [
      ...new Set(config.services.flatMap((service) => service.taskRolePolicyArns)),
    ].sort();
    // The platform's boundary in this account: every role the platform creates carries it, and
    // only an administrator (this bootstrap stack) can change it.
    const platformBoundaryPolicy = new IamPolicy(this, "PlatformBoundary", {
      name: boundaryName(config.project),
      path: BOUNDARY_PATH,
      description: `The most any ${config.project} role may do; CI may only create roles that carry it`,
      policy: renderPolicy(
        platformBoundary({
          project: config.project,
          accountId: account,
          boundaryArn: boundaryArn(config.project, account),
          attachablePolicyArns: attachable,
          passRoleServices: PASS_ROLE_SERVICES,
        }),
      ),
    });
    suppressGuard(
      platformBoundaryPolicy,
      "IAM_NO_WILDCARD_ACTION",
      "a permissions boundary grants nothing by itself: it caps every platform role at all services but IAM, Organizations and Account, and denies every escalation path; each role's own policies are least privilege",
    );
    // An organization's own boundary for the CI roles (github.permissionsBoundaryArn) wins.
    const boundary =
      boundaryIn(config.github.permissionsBoundaryArn, account) ?? platformBoundaryPolicy.arn;
    const oidc = new GithubOidcProvider(this, `oidc-${account}`, { provider });

    const plan = new GithubOidcRole(this, `plan-${account}`, {
      provider,
      roleName: roleNames.plan,
      description: `${config.github.owner}/${config.github.infraRepository} pull requests: terraform plan`,
      providerArn: oidc.arn,
      subjects: subjects.plan,
      permissionsBoundaryArn: boundary,
    });
    // Configuration, never data: what a plan refreshes, shared by the plan and apply roles.
    const reads = new IamPolicy(this, "ConfigurationReads", {
      name: this.naming.name("github-infra-read", "iamPolicy"),
      description:
        "Read the configuration (not the data) of every resource type the platform manages",
      policy: renderPolicy(
        configurationReadPolicy({ readableObjectArns: readableObjects(config) }),
      ),
    });
    suppressGuard(
      reads,
      "IAM_NO_WILDCARD_RESOURCE",
      "configuration reads of every resource the platform manages (many Describe/List calls have no resource-level permissions, and refresh reads AWS managed resources too); data reads inside these families are denied explicitly in the same policy",
    );
    const grantPlan = (role: OidcRole) => {
      role.attachManagedPolicy("read-configuration", reads.arn);
      role.addPolicy("plan", planPolicy(state));
    };
    const applyDocuments = applyPolicies({
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
      attachablePolicyArns: attachable,
      tagKeys: defaultTagKeys(config),
      writableObjectArns: seedObjects(config),
    });
    const grantApply = (role: OidcRole, policyPrefix: string) => {
      role.attachManagedPolicy("read-configuration", reads.arn);
      for (const [part, document] of Object.entries(applyDocuments)) {
        role.addManagedPolicy(
          `apply-${part}`,
          this.naming.name(`${policyPrefix}-${part}`, "iamPolicy"),
          document,
        );
      }
    };
    grantPlan(plan);

    const hcp = hcpState(config);
    const hcpWorkspaces = hcp ? ciStacks(config).filter((s) => s.accountId === account) : [];
    if (hcp && remoteExecution(config) && hcpWorkspaces.length > 0) {
      // HCP Terraform runs the stacks CI deploys: their plans and applies assume these roles, and
      // the GitHub deploy job needs no AWS role of its own (no apply role is left lying around).
      // Exactly the workspaces of the stacks CI deploys into this account (never the bootstrap
      // stacks, which create these roles), each phase with its own role.
      const hcpRoles = new HcpRunRoles(this, `hcp-${account}`, {
        provider,
        host: hcp.hostname,
        audience: HCP_AWS_AUDIENCE,
        roleNames: hcpRoleNames(config),
        planSubjects: hcpWorkspaces.map((s) => hcpSubject(hcp, config, s.stack, "plan")),
        applySubjects: hcpWorkspaces.map((s) => hcpSubject(hcp, config, s.stack, "apply")),
        permissionsBoundaryArn: boundary,
        description: `HCP Terraform runs of ${hcp.organization}/${hcpProjectName(hcp, config)}`,
      });
      grantPlan(hcpRoles.plan);
      grantApply(hcpRoles.apply, "hcp-apply");
    } else {
      const apply = new GithubOidcRole(this, `apply-${account}`, {
        provider,
        roleName: roleNames.apply,
        description: `${config.github.owner}/${config.github.infraRepository} ${config.github.infraApplyBranch} and environments: cdktf deploy`,
        providerArn: oidc.arn,
        // The deploy job's apply environment, in every account.
        subjects: subjects.apply,
        permissionsBoundaryArn: boundary,
      });
      grantApply(apply, "github-infra-apply");
    }

    if (account === tooling.accountId) {
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
          accountId: tooling.accountId,
          repositoryArns: config.services.map((s) => ecrRepositoryArn(config, s.name)),
          kmsKeyAlias: ecrKeyAlias(config),
        }),
      );
    }
  }
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

/**
 * Objects a plan reads: this project's state objects (S3 backend), and the S3 config source's
 * seed, which the pipeline stack manages (its refresh reads the object's metadata).
 */
function readableObjects(config: PlatformConfig): string[] {
  return [
    ...(config.state.backend === "s3"
      ? [`arn:aws:s3:::${stateBucketName(config)}/${config.project}/*`]
      : []),
    ...seedObjects(config),
  ];
}

/** The S3 config source's seed object, which the pipeline stack writes once. */
function seedObjects(config: PlatformConfig): string[] {
  const source = config.pipeline.configSource;
  if (source.type !== "s3") return [];
  const tooling = platformModel(config).tooling.accountId;
  return [`arn:aws:s3:::${configBucketName(config, tooling)}/${source.objectKey}`];
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
