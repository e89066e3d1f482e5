import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { Naming } from "../config/naming";
import { configureBackend, type BackendChoice } from "./backend";

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
   * An AWS provider for `target`. The first one a stack adds is its default provider; pass an
   * alias for further accounts or regions.
   */
  addAwsProvider(target: AwsTarget, alias?: string): AwsProvider {
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
            ...this.config.tags,
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

/** The AWS target of an environment from config. */
export function environmentTarget(config: PlatformConfig, environment: string): AwsTarget {
  const env = config.environments[environment];
  if (!env) throw new Error(`unknown environment ${environment}`);
  return { accountId: env.accountId, region: env.region, roleArn: env.deployRoleArn };
}
