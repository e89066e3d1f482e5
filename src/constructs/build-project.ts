import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { policyDocument, renderPolicy, type PolicyStatement } from "../policies/document";

export interface BuildProjectProps {
  /** CodeBuild project name; the log group is `/aws/codebuild/<name>`. */
  readonly projectName: string;
  readonly roleName: string;
  readonly description: string;
  /** Inline buildspec (YAML). */
  readonly buildspec: string;
  readonly accountId: string;
  readonly region: string;
  /** Customer managed key for the project's artifacts and its log group. */
  readonly kmsKeyArn: string;
  /** The pipeline's artifact bucket: the project reads its input and writes its output there. */
  readonly artifactBucketArn: string;
  readonly logRetentionDays: number;
  /** Plain-text environment variables (never secrets). @default {} */
  readonly environmentVariables?: Readonly<Record<string, string>>;
  /** @default "aws/codebuild/amazonlinux-x86_64-standard:5.0" */
  readonly image?: string;
  /** @default "BUILD_GENERAL1_SMALL" */
  readonly computeType?: string;
  /** @default 15 */
  readonly buildTimeoutMinutes?: number;
  /** What the build itself calls beyond logs, artifacts and the key (least privilege). @default [] */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * A CodeBuild project run by CodePipeline (source and artifacts `CODEPIPELINE`), with its own
 * role limited to its log group, the artifact bucket and the key; a KMS-encrypted log group with
 * retention; unprivileged (no Docker daemon: nothing here builds images).
 */
export class BuildProject extends Construct {
  readonly project: CodebuildProject;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: BuildProjectProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      name: `/aws/codebuild/${props.projectName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: `CodeBuild project ${props.projectName}`,
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Effect: "Allow",
          Principal: { Service: "codebuild.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        }),
      ),
    });
    const statements: PolicyStatement[] = [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [this.logGroup.arn, `${this.logGroup.arn}:log-stream:*`],
      },
      {
        Sid: "PipelineArtifacts",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        Resource: `${props.artifactBucketArn}/*`,
      },
      {
        Sid: "PipelineArtifactsBucket",
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:GetBucketAcl"],
        Resource: props.artifactBucketArn,
      },
      {
        Sid: "ArtifactKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: props.kmsKeyArn,
      },
      {
        Sid: "TestReports",
        Effect: "Allow",
        Action: [
          "codebuild:CreateReportGroup",
          "codebuild:CreateReport",
          "codebuild:UpdateReport",
          "codebuild:BatchPutTestCases",
        ],
        Resource: `arn:aws:codebuild:${props.region}:${props.accountId}:report-group/${props.projectName}-*`,
      },
      ...(props.statements ?? []),
    ];
    new IamRolePolicy(this, "Policy", {
      name: "build",
      role: this.role.id,
      policy: renderPolicy(policyDocument(...statements)),
    });

    this.project = new CodebuildProject(this, "Resource", {
      name: props.projectName,
      description: props.description,
      serviceRole: this.role.arn,
      encryptionKey: props.kmsKeyArn,
      buildTimeout: props.buildTimeoutMinutes ?? 15,
      queuedTimeout: 60,
      source: { type: "CODEPIPELINE", buildspec: props.buildspec },
      artifacts: { type: "CODEPIPELINE" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: props.computeType ?? "BUILD_GENERAL1_SMALL",
        image: props.image ?? "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        imagePullCredentialsType: "CODEBUILD",
        privilegedMode: false,
        environmentVariable: Object.entries(props.environmentVariables ?? {}).map(
          ([name, value]) => ({ name, value, type: "PLAINTEXT" }),
        ),
      },
      logsConfig: {
        cloudwatchLogs: { status: "ENABLED", groupName: this.logGroup.name },
        s3Logs: { status: "DISABLED" },
      },
    });
  }

  get arn(): string {
    return this.project.arn;
  }

  get name(): string {
    return this.project.name;
  }
}
