import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster as AwsEcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { Construct } from "constructs";

/** The default capacity provider strategy of a Fargate cluster. */
export interface FargateCapacity {
  /** Tasks always placed on on-demand FARGATE before the weights apply. */
  readonly fargateBase: number;
  readonly fargateWeight: number;
  readonly fargateSpotWeight: number;
}

export interface EcsExecLoggingProps {
  readonly logGroupName: string;
  /** @default 30 */
  readonly retentionDays?: number;
}

export interface EcsClusterProps {
  readonly name: string;
  readonly capacity: FargateCapacity;
  /**
   * Encrypts ECS Exec sessions and their log group. Required with `execLogging`.
   * @default - no customer key
   */
  readonly kmsKeyArn?: string;
  /** Log ECS Exec sessions to a KMS-encrypted log group. @default - exec sessions are not logged here */
  readonly execLogging?: EcsExecLoggingProps;
}

/**
 * An ECS cluster for Fargate: Container Insights on, FARGATE and FARGATE_SPOT capacity providers
 * with a default strategy, and (optionally) ECS Exec sessions encrypted and logged.
 */
export class EcsCluster extends Construct {
  readonly cluster: AwsEcsCluster;
  readonly capacityProviders: EcsClusterCapacityProviders;
  readonly execLogGroup?: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const strategy = capacityStrategy(props.capacity);
    if (strategy.every((s) => s.weight === 0)) {
      throw new Error(
        `${this.node.path}: capacity needs fargateWeight or fargateSpotWeight above 0, or no task is ever placed`,
      );
    }
    if (props.execLogging && !props.kmsKeyArn) {
      throw new Error(`${this.node.path}: execLogging needs kmsKeyArn to encrypt the sessions`);
    }

    if (props.execLogging) {
      this.execLogGroup = new CloudwatchLogGroup(this, "ExecLogs", {
        name: props.execLogging.logGroupName,
        retentionInDays: props.execLogging.retentionDays ?? 30,
        kmsKeyId: props.kmsKeyArn,
      });
    }

    this.cluster = new AwsEcsCluster(this, "Resource", {
      name: props.name,
      setting: [{ name: "containerInsights", value: "enabled" }],
      configuration:
        props.execLogging && this.execLogGroup
          ? {
              executeCommandConfiguration: {
                kmsKeyId: props.kmsKeyArn,
                logging: "OVERRIDE",
                logConfiguration: {
                  cloudWatchEncryptionEnabled: true,
                  cloudWatchLogGroupName: this.execLogGroup.name,
                },
              },
            }
          : undefined,
    });

    this.capacityProviders = new EcsClusterCapacityProviders(this, "CapacityProviders", {
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: strategy,
    });
  }

  get name(): string {
    return this.cluster.name;
  }

  get arn(): string {
    return this.cluster.arn;
  }
}

/**
 * The strategy entries for a capacity: FARGATE carries the base; a provider with weight 0 (and no
 * base) is left out so the strategy says only what is used.
 */
export function capacityStrategy(
  capacity: FargateCapacity,
): { capacityProvider: string; base: number; weight: number }[] {
  const entries: { capacityProvider: string; base: number; weight: number }[] = [];
  if (capacity.fargateWeight > 0 || capacity.fargateBase > 0) {
    entries.push({
      capacityProvider: "FARGATE",
      base: capacity.fargateBase,
      weight: capacity.fargateWeight,
    });
  }
  if (capacity.fargateSpotWeight > 0) {
    entries.push({ capacityProvider: "FARGATE_SPOT", base: 0, weight: capacity.fargateSpotWeight });
  }
  return entries;
}
