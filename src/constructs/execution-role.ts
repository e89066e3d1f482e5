import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, renderPolicy, type PolicyStatement } from "../policies/document";
import { ecsTasksTrustPolicy } from "../policies/service-trust";

export interface ExecutionRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  readonly region: string;
  /** The one ECR repository the service pulls from. */
  readonly repositoryArn: string;
  /** Key encrypting the repository's images. */
  readonly ecrKmsKeyArn: string;
  /** Region of the repository (the tooling region), for the kms:ViaService condition. */
  readonly ecrRegion: string;
  /** The service's log group ARN (as `aws_cloudwatch_log_group.arn`, without `:*`). */
  readonly logGroupArn: string;
  /** ARNs of the service's own secrets. @default [] */
  readonly secretArns?: readonly string[];
  /** Key encrypting those secrets. Required when secretArns is not empty. */
  readonly secretsKmsKeyArn?: string;
}

/**
 * The role ECS itself uses to start a task: pull the service's image, read the service's
 * secrets, create its log streams. Nothing else; the application never sees this role.
 */
export class ExecutionRole extends Construct {
  readonly role: IamRole;
  readonly statements: readonly PolicyStatement[];
  /** The role's permissions: what starts tasks must wait for it (IAM is eventually consistent). */
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ExecutionRoleProps) {
    super(scope, id);
    const secretArns = props.secretArns ?? [];
    if (secretArns.length > 0 && !props.secretsKmsKeyArn) {
      throw new Error(
        `${this.node.path}: secretsKmsKeyArn is required when the service has secrets`,
      );
    }

    this.role = new IamRole(this, "Resource", {
      name: props.roleName,
      description: "ECS task execution: pull the image, read the secrets, write the logs",
      assumeRolePolicy: renderPolicy(ecsTasksTrustPolicy(props.accountId, props.region)),
    });

    const statements: PolicyStatement[] = [
      {
        Sid: "EcrLogin",
        Effect: "Allow",
        Action: "ecr:GetAuthorizationToken",
        // AWS requires "*": GetAuthorizationToken supports no resource-level permissions.
        Resource: "*",
      },
      {
        Sid: "PullOwnImage",
        Effect: "Allow",
        Action: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
        ],
        Resource: props.repositoryArn,
      },
      {
        Sid: "DecryptImageThroughEcr",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: props.ecrKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `ecr.${props.ecrRegion}.amazonaws.com` } },
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${props.logGroupArn}:*`,
      },
    ];
    if (secretArns.length > 0 && props.secretsKmsKeyArn) {
      statements.push(
        {
          Sid: "ReadOwnSecrets",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: [...secretArns],
        },
        {
          Sid: "DecryptSecretsThroughSecretsManager",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: props.secretsKmsKeyArn,
          Condition: {
            StringEquals: { "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com` },
          },
        },
      );
    }
    this.statements = statements;

    this.policy = new IamRolePolicy(this, "Policy", {
      name: "execution",
      role: this.role.name,
      policy: renderPolicy(policyDocument(...statements)),
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}
