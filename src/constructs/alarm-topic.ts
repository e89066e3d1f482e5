import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import {
  accountRootArn,
  policyDocument,
  renderPolicy,
  type PolicyStatement,
} from "../policies/document";

export interface AlarmTopicProps {
  readonly topicName: string;
  readonly accountId: string;
  /** Customer managed key; its policy must let the publishing services use it. */
  readonly kmsKeyArn: string;
  /** Email subscriptions; each stays pending until its recipient confirms. @default [] */
  readonly emails?: readonly string[];
  /** Services allowed to publish (for this account's resources only). @default CloudWatch, EventBridge */
  readonly publishers?: readonly string[];
}

/**
 * An encrypted SNS topic for one environment's alarms and deployment events, with email
 * subscriptions and a topic policy that lets CloudWatch alarms and EventBridge rules of this
 * account publish.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly policyStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "Resource", {
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    const publishers = props.publishers ?? ["cloudwatch.amazonaws.com", "events.amazonaws.com"];
    this.policyStatements = [
      {
        Sid: "AccountManagesTopic",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(props.accountId) },
        Action: [
          "sns:GetTopicAttributes",
          "sns:SetTopicAttributes",
          "sns:AddPermission",
          "sns:RemovePermission",
          "sns:DeleteTopic",
          "sns:Subscribe",
          "sns:ListSubscriptionsByTopic",
          "sns:Publish",
        ],
        Resource: this.topic.arn,
      },
      {
        Sid: "AlarmsAndEventsPublish",
        Effect: "Allow",
        Principal: { Service: [...publishers] },
        Action: "sns:Publish",
        Resource: this.topic.arn,
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: this.topic.arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ];
    new SnsTopicPolicy(this, "Policy", {
      arn: this.topic.arn,
      policy: renderPolicy(policyDocument(...this.policyStatements)),
    });
    for (const email of props.emails ?? []) {
      // Keyed by address, not position: reordering the list must not re-subscribe anyone.
      new SnsTopicSubscription(this, `Email-${email.replace(/[^A-Za-z0-9]+/g, "-")}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    }
  }

  get arn(): string {
    return this.topic.arn;
  }
}
