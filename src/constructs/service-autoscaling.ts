import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { Construct } from "constructs";

export interface ServiceAutoscalingProps {
  readonly clusterName: string;
  /** Reference the ECS service's name attribute so the target waits for the service. */
  readonly serviceName: string;
  readonly minCount: number;
  readonly maxCount: number;
  /** `app/<alb>/<id>` */
  readonly albArnSuffix: string;
  /**
   * `targetgroup/<tg>/<id>`: requests per task are tracked in it. Undefined for blue/green
   * services, whose traffic moves between two groups (ALBRequestCountPerTarget names one): they
   * track CPU only. @default - CPU only
   */
  readonly targetGroupArnSuffix?: string;
  /** Average CPU the service is kept at. @default 60 */
  readonly cpuTargetPercent?: number;
  /** ALB requests per task per minute the service is kept at. @default 1000 */
  readonly requestsPerTarget?: number;
  /** Seconds after a scale-out before another. @default 60 */
  readonly scaleOutCooldownSeconds?: number;
  /** Seconds after a scale-in before another; longer, so load spikes don't flap. @default 300 */
  readonly scaleInCooldownSeconds?: number;
}

/**
 * Target tracking on CPU and on ALB requests per task. Either policy can scale out; the service
 * scales in only when both allow it (Application Auto Scaling's rule for several policies).
 */
export class ServiceAutoscaling extends Construct {
  readonly target: AppautoscalingTarget;
  readonly cpuPolicy: AppautoscalingPolicy;
  readonly requestsPolicy?: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    if (props.minCount > props.maxCount) {
      throw new Error(
        `${this.node.path}: minCount ${props.minCount} exceeds maxCount ${props.maxCount}`,
      );
    }
    this.target = new AppautoscalingTarget(this, "Target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    const common = {
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
    };
    const cooldowns = {
      scaleOutCooldown: props.scaleOutCooldownSeconds ?? 60,
      scaleInCooldown: props.scaleInCooldownSeconds ?? 300,
    };
    this.cpuPolicy = new AppautoscalingPolicy(this, "Cpu", {
      ...common,
      name: "cpu-target-tracking",
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.cpuTargetPercent ?? 60,
        predefinedMetricSpecification: {
          predefinedMetricType: "ECSServiceAverageCPUUtilization",
        },
        ...cooldowns,
      },
    });
    if (!props.targetGroupArnSuffix) return;
    this.requestsPolicy = new AppautoscalingPolicy(this, "Requests", {
      ...common,
      name: "requests-target-tracking",
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.requestsPerTarget ?? 1000,
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: `${props.albArnSuffix}/${props.targetGroupArnSuffix}`,
        },
        ...cooldowns,
      },
    });
  }
}
