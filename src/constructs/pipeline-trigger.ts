import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, renderPolicy } from "../policies/document";

/** One EventBridge rule that starts the pipeline. */
export interface TriggerRule {
  /** Construct id (stable: part of the Terraform address). */
  readonly id: string;
  readonly ruleName: string;
  readonly description: string;
  /** EventBridge event pattern as data. */
  readonly eventPattern: Record<string, unknown>;
}

export interface PipelineTriggerProps {
  readonly pipelineArn: string;
  readonly roleName: string;
  readonly accountId: string;
  readonly rules: readonly TriggerRule[];
}

/**
 * Starts a pipeline from EventBridge events (instead of polling): one rule per event source, all
 * targeting the pipeline through a role that may only start that one pipeline.
 */
export class PipelineTrigger extends Construct {
  readonly role: IamRole;
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: PipelineTriggerProps) {
    super(scope, id);
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "EventBridge starts the delivery pipeline",
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        }),
      ),
    });
    new IamRolePolicy(this, "Policy", {
      name: "start-pipeline",
      role: this.role.id,
      policy: renderPolicy(
        policyDocument({
          Effect: "Allow",
          Action: "codepipeline:StartPipelineExecution",
          Resource: props.pipelineArn,
        }),
      ),
    });
    for (const rule of props.rules) {
      const eventRule = new CloudwatchEventRule(this, rule.id, {
        name: rule.ruleName,
        description: rule.description,
        eventPattern: JSON.stringify(rule.eventPattern),
      });
      new CloudwatchEventTarget(this, `${rule.id}Target`, {
        rule: eventRule.name,
        targetId: "pipeline",
        arn: props.pipelineArn,
        roleArn: this.role.arn,
      });
      this.rules.push(eventRule);
    }
  }
}
