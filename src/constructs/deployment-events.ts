import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";

export interface DeploymentEventsProps {
  readonly ruleNames: { readonly deploymentFailed: string; readonly serviceErrors: string };
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  readonly topicArn: string;
}

/** EventBridge patterns as data (rendered with JSON.stringify). */
export function deploymentEventPatterns(props: {
  accountId: string;
  region: string;
  clusterName: string;
}): { deploymentFailed: Record<string, unknown>; serviceErrors: Record<string, unknown> } {
  // Both event types carry the service ARN in `resources`; the prefix limits them to this cluster.
  const resources = [
    { prefix: `arn:aws:ecs:${props.region}:${props.accountId}:service/${props.clusterName}/` },
  ];
  return {
    deploymentFailed: {
      source: ["aws.ecs"],
      "detail-type": ["ECS Deployment State Change"],
      resources,
      detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
    },
    serviceErrors: {
      source: ["aws.ecs"],
      "detail-type": ["ECS Service Action"],
      resources,
      detail: { eventType: ["ERROR"] },
    },
  };
}

/**
 * Reports failed ECS deployments (circuit breaker or alarm rollback) and ECS service errors
 * (e.g. tasks that cannot be placed or cannot pull their image) of one cluster to the topic.
 */
export class DeploymentEvents extends Construct {
  readonly deploymentFailed: CloudwatchEventRule;
  readonly serviceErrors: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: DeploymentEventsProps) {
    super(scope, id);
    const patterns = deploymentEventPatterns(props);
    const rule = (ruleId: string, name: string, description: string, pattern: object) => {
      const created = new CloudwatchEventRule(this, ruleId, {
        name,
        description,
        eventPattern: JSON.stringify(pattern),
      });
      new CloudwatchEventTarget(this, `${ruleId}Target`, {
        rule: created.name,
        targetId: "alarm-topic",
        arn: props.topicArn,
      });
      return created;
    };
    this.deploymentFailed = rule(
      "DeploymentFailed",
      props.ruleNames.deploymentFailed,
      "ECS deployments of this environment that failed and rolled back",
      patterns.deploymentFailed,
    );
    this.serviceErrors = rule(
      "ServiceErrors",
      props.ruleNames.serviceErrors,
      "ECS service errors of this environment (placement, image pull, ...)",
      patterns.serviceErrors,
    );
  }
}
