import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { terraformLiteral } from "../constructs/terraform-literal";
import { Naming } from "../config/naming";
import { boundaryArn } from "../policies/permissions-boundary";
import { configureBackend, type BackendChoice } from "./backend";
import { ciApplyIdentity } from "./ci-identity";
import { PermissionsBoundaryAspect } from "./permissions-boundary-aspect";

/** An AWS account and region a stack deploys into. */
export interface AwsTarget {
  readonly accountId: string;
  readonly region: string;
  /** Role Terraform assumes there. @default - the caller's credentials */
  readonly roleArn?: string;
}

export interface PlatformStackProps {
  readonly config: PlatformConfig;
  /** The environment this stack belongs to. @default - a shared stack */
  readonly environment?: string;
  /** @default "remote" */
  readonly backend?: BackendChoice;
}

/**
 * Base for every stack: its backend, the naming helper, and AWS providers that refuse to run
 * against any account other than the configured one and tag every resource.
 */
export class PlatformStack extends TerraformStack {
  readonly config: PlatformConfig;
  readonly naming: Naming;
  readonly stackId: string;
  readonly environment?: string;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.stackId = id;
    this.config = props.config;
    this.environment = props.environment;
    this.naming = new Naming(props.config.project, props.environment);
    configureBackend(this, id, props.config, props.backend);
  }

  /**
   * The role CI applies this stack with (named in advance; the account's OIDC bootstrap stack
   * creates it): platform keys let it administer them through their key policy.
   */
  get ciApplyRoleArn(): string {
    if (!this.accountId) throw new Error(`${this.stackId}: no AWS provider yet`);
    return ciApplyIdentity(this.config, this.stackId, this.accountId).roleArn;
  }

  /** The account of the stack's default AWS provider. */
  private accountId?: string;

  /**
   * An AWS provider for `target`. The first one a stack adds is its default provider; pass an
   * alias for further accounts or regions.
   */
  addAwsProvider(target: AwsTarget, alias?: string): AwsProvider {
    if (!alias) {
      this.accountId = target.accountId;
      // Every role this stack creates carries the platform boundary of its account.
      Aspects.of(this).add(
        new PermissionsBoundaryAspect(boundaryArn(this.config.project, target.accountId)),
      );
    }
    return new AwsProvider(this, alias ? `aws-${alias}` : "aws", {
      alias,
      region: target.region,
      allowedAccountIds: [target.accountId],
      ...(target.roleArn
        ? { assumeRole: [{ roleArn: target.roleArn, sessionName: `cdktf-${this.stackId}` }] }
        : {}),
      defaultTags: [
        {
          tags: {
            ...Object.fromEntries(
              Object.entries(this.config.tags).map(([k, v]) => [k, terraformLiteral(v)]),
            ),
            Project: this.config.project,
            ...(this.environment ? { Environment: this.environment } : {}),
            ManagedBy: "cdktf",
            Stack: this.stackId,
          },
        },
      ],
    });
  }
}

/** The tag keys every provider's default_tags put on every resource. */
export function defaultTagKeys(config: PlatformConfig): string[] {
  return [
    ...new Set([...Object.keys(config.tags), "Project", "Environment", "ManagedBy", "Stack"]),
  ];
}

/** The AWS target of an environment from config. */
export function environmentTarget(config: PlatformConfig, environment: string): AwsTarget {
  const env = config.environments[environment];
  if (!env) throw new Error(`unknown environment ${environment}`);
  return { accountId: env.accountId, region: env.region, roleArn: env.deployRoleArn };
}

/**
 * The tooling account and region: where the pipeline and the ECR repositories live. Defaults to
 * the first environment the pipeline promotes through (staging in the example).
 */
export function toolingTarget(config: PlatformConfig): AwsTarget {
  if (config.pipeline.tooling) {
    return { accountId: config.pipeline.tooling.accountId, region: config.pipeline.tooling.region };
  }
  return environmentTarget(config, config.pipeline.promotion[0]);
}

/** Every distinct AWS account the platform uses (tooling, state, environments), sorted. */
export function platformAccounts(config: PlatformConfig): string[] {
  const accounts = new Set<string>([toolingTarget(config).accountId]);
  if (config.state.backend === "s3") accounts.add(config.state.accountId);
  for (const env of Object.values(config.environments)) accounts.add(env.accountId);
  return [...accounts].sort();
}
