import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, renderPolicy } from "../policies/document";

export interface FlowLogsProps {
  readonly vpcId: string;
  readonly logGroupName: string;
  readonly roleName: string;
  /** Encrypts the log group; its key policy must let CloudWatch Logs use it. */
  readonly kmsKeyArn: string;
  /** The account that owns the VPC (limits who may assume the delivery role). */
  readonly accountId: string;
  /** @default 90 */
  readonly retentionDays?: number;
  /** @default "ALL" */
  readonly trafficType?: "ACCEPT" | "REJECT" | "ALL";
}

/**
 * VPC flow logs to a KMS-encrypted CloudWatch log group with retention, delivered by a role that
 * may write to that log group only.
 */
export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: props.logGroupName,
      retentionInDays: props.retentionDays ?? 90,
      kmsKeyId: props.kmsKeyArn,
    });
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: "Delivers VPC flow logs to CloudWatch Logs",
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        }),
      ),
    });
    new IamRolePolicy(this, "RolePolicy", {
      name: "deliver-flow-logs",
      role: this.role.id,
      policy: renderPolicy(
        policyDocument({
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: [
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:DescribeLogGroups",
            "logs:DescribeLogStreams",
          ],
          Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        }),
      ),
    });
    this.flowLog = new FlowLog(this, "Resource", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: 60,
    });
  }
}
