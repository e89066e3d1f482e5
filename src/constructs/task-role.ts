import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument, renderPolicy, type PolicyStatement } from "../policies/document";
import { ecsTasksTrustPolicy } from "../policies/service-trust";

export interface TaskRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  /** Managed policies the application needs. @default [] */
  readonly managedPolicyArns?: readonly string[];
  /** Allow `aws ecs execute-command` into the tasks (SSM Session Manager channels). @default false */
  readonly ecsExec?: boolean;
  /**
   * Where the cluster logs ECS Exec sessions, and the key that encrypts sessions and that log
   * group. The task writes the session log itself, so its role needs both. @default - no logging
   */
  readonly ecsExecLogging?: { readonly logGroupArn: string; readonly kmsKeyArn: string };
}

/**
 * The role the application runs with. Empty by default: whatever the application needs is
 * granted explicitly through managed policies from config.
 */
export class TaskRole extends Construct {
  readonly role: IamRole;
  /** Inline statements (ECS Exec only); empty when the role has none. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: TaskRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "Resource", {
      name: props.roleName,
      description: "ECS task role: the application's own AWS permissions",
      assumeRolePolicy: renderPolicy(ecsTasksTrustPolicy(props.accountId, props.region)),
    });

    const statements: PolicyStatement[] = [];
    if (props.ecsExec) {
      statements.push({
        Sid: "EcsExecSessionChannels",
        Effect: "Allow",
        Action: [
          "ssmmessages:CreateControlChannel",
          "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel",
          "ssmmessages:OpenDataChannel",
        ],
        // AWS requires "*": the ssmmessages actions support no resource-level permissions.
        Resource: "*",
      });
      const logging = props.ecsExecLogging;
      if (logging) {
        statements.push(
          {
            Sid: "EcsExecSessionLog",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: `${logging.logGroupArn}:*`,
          },
          {
            Sid: "EcsExecFindLogGroup",
            Effect: "Allow",
            Action: "logs:DescribeLogGroups",
            // AWS requires "*": DescribeLogGroups supports no resource-level permissions.
            Resource: "*",
          },
          {
            Sid: "EcsExecSessionKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: logging.kmsKeyArn,
          },
        );
      }
      new IamRolePolicy(this, "EcsExec", {
        name: "ecs-exec",
        role: this.role.name,
        policy: renderPolicy(policyDocument(...statements)),
      });
    }
    this.statements = statements;

    (props.managedPolicyArns ?? []).forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `Managed${i}`, { role: this.role.name, policyArn });
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}
