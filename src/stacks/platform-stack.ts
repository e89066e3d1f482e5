import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import type { AwsTarget } from "../model/targets";

import { terraformLiteral } from "../constructs/terraform-literal";
import { Naming } from "../config/naming";
import { boundaryArn } from "../policies/permissions-boundary";
import { configureBackend, type BackendChoice } from "./backend";
import { ciApplyIdentity } from "../model/ci-identity";
import { PermissionsBoundaryAspect } from "./permissions-boundary-aspect";

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
