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

export interface EmailTopicProps {
  readonly topicName: string;
  readonly displayName?: string;
  /** Customer managed key; its key policy must let the publishers use it. */
  readonly kmsKeyArn: string;
  readonly accountId: string;
  /** Each gets an email subscription (pending until the recipient confirms). */
  readonly emails: readonly string[];
  /** AWS service principals allowed to publish, limited to `accountId`'s resources. @default [] */
  readonly publisherServices?: readonly string[];
  /** IAM principals (role ARNs) allowed to publish. @default [] */
  readonly publisherRoleArns?: readonly string[];
}

/**
 * A KMS-encrypted SNS topic with email subscribers and an explicit topic policy: the owning
 * account administers it; only the named services and roles may publish; TLS only.
 */
export class EmailTopic extends Construct {
  readonly topic: SnsTopic;
  /** The topic policy: publishers that need it at creation time depend on it. */
  readonly policy: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: EmailTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "Resource", {
      name: props.topicName,
      displayName: props.displayName,
      kmsMasterKeyId: props.kmsKeyArn,
    });
    const arn = this.topic.arn;
    const statements: PolicyStatement[] = [
      {
        Sid: "AccountAdministersTopic",
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
        ],
        Resource: arn,
        // Only the owning account's own principals (whose IAM policies then decide).
        Condition: { StringEquals: { "aws:PrincipalAccount": props.accountId } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ];
    if (props.publisherServices?.length) {
      statements.push({
        Sid: "ServicesPublish",
        Effect: "Allow",
        Principal: { Service: [...props.publisherServices] },
        Action: "sns:Publish",
        Resource: arn,
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
      });
    }
    if (props.publisherRoleArns?.length) {
      statements.push({
        Sid: "RolesPublish",
        Effect: "Allow",
        Principal: { AWS: [...props.publisherRoleArns] },
        Action: "sns:Publish",
        Resource: arn,
      });
    }
    this.policy = new SnsTopicPolicy(this, "Policy", {
      arn,
      policy: renderPolicy(policyDocument(...statements)),
    });
    for (const email of props.emails) {
      // Terraform creates the subscription; AWS emails a confirmation link. Terraform can neither
      // confirm nor delete a pending email subscription (it only forgets it). Keyed by address,
      // not position: reordering the list must not re-subscribe anyone.
      new SnsTopicSubscription(this, `Email-${email.replace(/[^A-Za-z0-9]+/g, "-")}`, {
        topicArn: arn,
        protocol: "email",
        endpoint: email,
      });
    }
  }

  get arn(): string {
    return this.topic.arn;
  }
}
