import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Codepipeline } from "@cdktf/provider-aws/lib/codepipeline";
import { CodestarnotificationsNotificationRule } from "@cdktf/provider-aws/lib/codestarnotifications-notification-rule";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { Naming } from "../config/naming";
import { BuildProject } from "../constructs/build-project";
import { PipelineTrigger, type TriggerRule } from "../constructs/pipeline-trigger";
import { policyDocument, renderPolicy, type PolicyStatement } from "../policies/document";
import type { RepositoryRef } from "../constructs/ecr-repository";
import {
  imageDefinitionsBuildspec,
  recordDeploymentBuildspec,
  releaseNotesBuildspec,
  renderBuildspec,
  smokeTestBuildspec,
} from "./buildspec";
import { APPROVAL_ACTION, APPROVAL_STAGE } from "../model/pipeline-resource-names";
import {
  alarmReadStatement,
  DESCRIBE_TASK_DEFINITION,
  ecsDeployStatements,
  type EcsDeployTarget,
} from "./policies";
import { RECORD_VARIABLES } from "./record-deployment";
import { templateVariable } from "./blue-green-render";
import { RELEASE_ENV } from "./release-notes";
import { pipelineStages, type ConfigSourceRef, type ScanThresholds } from "./stages";

/** One environment the service is promoted through. */
export interface PipelineEnvironment extends EcsDeployTarget {
  readonly name: string;
  readonly containerName: string;
  readonly url: string;
  /**
   * Role in the environment's account the deploy action assumes.
   * @default - none: the environment is in the pipeline's account and the pipeline role deploys
   */
  readonly deployRoleArn?: string;
  /** The service's alarms in this environment that the release bakes watch (full names). */
  readonly bakeAlarmNames: readonly string[];
  /** Blue/green: what the build renders for this environment (ServiceRef.deploymentTemplate). */
  readonly deploymentTemplate?: string;
}

export interface ServicePipelineProps {
  readonly service: string;
  /** Project-level naming (no environment). */
  readonly naming: Naming;
  readonly pipelineName: string;
  /** The pipeline's service role; named in advance, deploy roles in other accounts trust it. */
  readonly roleName: string;
  /** The tooling account and region the pipeline runs in. */
  readonly accountId: string;
  readonly region: string;
  readonly repository: RepositoryRef;
  /** Tag whose push starts a release. */
  readonly imageTag: string;
  readonly configSource: ConfigSourceRef;
  /** In promotion order; each but the last is deployed and tested, the last is approval-gated. */
  readonly environments: readonly PipelineEnvironment[];
  /** Key of the ECR repositories: tagging a deployed image re-puts its manifest through ECR. */
  readonly repositoryKeyArn: string;
  readonly artifactBucket: { readonly name: string; readonly arn: string };
  readonly kmsKeyArn: string;
  readonly approvalTopicArn: string;
  /** What must exist before notifications target the topic (its policy). @default [] */
  readonly approvalTopicDependencies?: readonly ITerraformDependable[];
  readonly approvalTimeoutMinutes: number;
  readonly deployTimeoutMinutes: number;
  readonly logRetentionDays: number;
  /** Path the fallback smoke test requests. */
  readonly healthCheckPath: string;
  /** Bake minutes: before the approval (environment before the last), after the last deploy. */
  readonly bake: { readonly beforeApprovalMinutes: number; readonly afterReleaseMinutes: number };
  /** The Amazon Inspector gate; undefined: no scan. */
  readonly imageScan?: ScanThresholds;
  /** `owner/repo` of the service's source on GitHub (the approval's compare link). */
  readonly sourceRepository: string;
  /** @default "SUPERSEDED" */
  readonly executionMode?: "QUEUED" | "SUPERSEDED" | "PARALLEL";
  /**
   * What must exist before the pipeline: CodePipeline starts a run when a pipeline is created,
   * so its sources must have content by then (the seeded config object). @default []
   */
  readonly sourceDependencies?: readonly ITerraformDependable[];
}

/** Notification events the team gets on the approval topic (CodeStar Notifications event ids). */
export const NOTIFICATION_EVENTS = [
  "codepipeline-pipeline-pipeline-execution-failed",
  "codepipeline-pipeline-manual-approval-needed",
  "codepipeline-pipeline-pipeline-execution-succeeded",
] as const;

/**
 * One service's delivery pipeline (CodePipeline V2) with its role, its CodeBuild projects, its
 * EventBridge triggers and its notification rule. Shared pieces (artifact bucket, key, approval
 * topic) come in as props.
 */
export class ServicePipeline extends Construct {
  readonly pipeline: Codepipeline;
  readonly role: IamRole;
  readonly buildProject: BuildProject;
  readonly testProjects: Record<string, BuildProject> = {};
  /** Tags each deployed digest `deployed-<env>--<execution id>` in ECR (every Deploy stage). */
  readonly recordProject: BuildProject;
  /** Finds what the last environment runs and links the change (before the approval). */
  readonly releaseNotesProject: BuildProject;
  /** `arn:aws:codepipeline:<region>:<account>:<name>` (known before creation). */
  readonly pipelineArn: string;
  /** The approval action's ARN, the only resource approvers may PutApprovalResult on. */
  readonly approvalActionArn: string;

  constructor(scope: Construct, id: string, props: ServicePipelineProps) {
    super(scope, id);
    const { service, naming, accountId, region } = props;
    if (props.environments.length < 2) {
      throw new Error(`pipeline ${props.pipelineName}: needs at least two environments`);
    }
    this.pipelineArn = `arn:aws:codepipeline:${region}:${accountId}:${props.pipelineName}`;
    this.approvalActionArn = `${this.pipelineArn}/${APPROVAL_STAGE}/${APPROVAL_ACTION}`;
    const target = props.environments[0];
    const blueGreen = props.environments.filter((env) => env.codeDeploy);

    const common = {
      accountId,
      region,
      kmsKeyArn: props.kmsKeyArn,
      artifactBucketArn: props.artifactBucket.arn,
      logRetentionDays: props.logRetentionDays,
    };
    this.buildProject = new BuildProject(this, "Build", {
      ...common,
      projectName: naming.name(`${service}-imagedefinitions`, "codeBuild"),
      roleName: naming.name(`${service}-imagedefinitions`, "iamRole"),
      description: `Pins ${service}'s imagedefinitions.json to the pushed image digest`,
      buildspec: renderBuildspec(
        imageDefinitionsBuildspec(
          target.containerName,
          blueGreen.map((env) => env.name),
        ),
      ),
      environmentVariables: Object.fromEntries(
        blueGreen.map((env) => [templateVariable(env.name), env.deploymentTemplate ?? ""]),
      ),
      buildTimeoutMinutes: 10,
    });
    for (const env of props.environments.slice(0, -1)) {
      this.testProjects[env.name] = new BuildProject(this, `Test-${env.name}`, {
        ...common,
        projectName: naming.name(`${service}-smoke-${env.name}`, "codeBuild"),
        roleName: naming.name(`${service}-smoke-${env.name}`, "iamRole"),
        description: `Smoke-tests ${service} in ${env.name} after each deploy`,
        buildspec: renderBuildspec(smokeTestBuildspec(service)),
        environmentVariables: {
          BASE_URL: env.url,
          SERVICE_NAME: service,
          HEALTH_CHECK_PATH: props.healthCheckPath,
          ENVIRONMENT: env.name,
        },
        buildTimeoutMinutes: 20,
      });
    }

    this.recordProject = new BuildProject(this, "RecordDeployment", {
      ...common,
      projectName: naming.name(`${service}-record-deployment`, "codeBuild"),
      roleName: naming.name(`${service}-record-deployment`, "iamRole"),
      description: `Tags ${service}'s deployed image digest in ECR so the lifecycle policy keeps it`,
      buildspec: renderBuildspec(recordDeploymentBuildspec()),
      environmentVariables: {
        [RECORD_VARIABLES.repository]: props.repository.name,
        // A failed record fails the Deploy stage, which rolls a good deploy back: ride out ECR
        // throttling (PutImage is rate-limited per account) instead of failing on it.
        AWS_MAX_ATTEMPTS: "10",
        AWS_RETRY_MODE: "adaptive",
      },
      buildTimeoutMinutes: 5,
      statements: [
        {
          Sid: "TagDeployedImage",
          Effect: "Allow",
          // BatchGetImage reads the manifest, PutImage re-puts it under the new tag.
          Action: ["ecr:BatchGetImage", "ecr:PutImage"],
          Resource: props.repository.arn,
        },
        {
          Sid: "UseRepositoryKeyThroughEcr",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: props.repositoryKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `ecr.${region}.amazonaws.com` } },
        },
      ],
    });

    const last = props.environments[props.environments.length - 1];
    this.releaseNotesProject = new BuildProject(this, "ReleaseNotes", {
      ...common,
      projectName: naming.name(`${service}-release-notes`, "codeBuild"),
      roleName: naming.name(`${service}-release-notes`, "iamRole"),
      description: `Finds what ${last.name} runs and links ${service}'s change for the approver`,
      buildspec: renderBuildspec(releaseNotesBuildspec()),
      environmentVariables: {
        [RELEASE_ENV.repository]: props.repository.name,
        [RELEASE_ENV.pipeline]: props.pipelineName,
        [RELEASE_ENV.source]: props.sourceRepository,
      },
      buildTimeoutMinutes: 5,
      statements: [
        {
          Sid: "ReadImageTags",
          Effect: "Allow",
          Action: "ecr:DescribeImages",
          Resource: props.repository.arn,
        },
        {
          Sid: "ReadExecutions",
          Effect: "Allow",
          Action: "codepipeline:ListPipelineExecutions",
          Resource: this.pipelineArn,
        },
      ],
    });

    this.role = new IamRole(this, "Role", {
      name: props.roleName,
      description: `CodePipeline ${props.pipelineName}`,
      assumeRolePolicy: renderPolicy(
        policyDocument({
          Effect: "Allow",
          Principal: { Service: "codepipeline.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        }),
      ),
    });
    const rolePolicy = new IamRolePolicy(this, "RolePolicy", {
      name: "pipeline",
      role: this.role.id,
      policy: renderPolicy(policyDocument(...this.roleStatements(props))),
    });

    // Commands rules (the bakes) and the Inspector scan log here. Made by Terraform, not on
    // first use, so that it carries the retention and the pipeline key like the build logs.
    const logGroup = new CloudwatchLogGroup(this, "Logs", {
      name: pipelineLogGroupName(props.pipelineName),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.pipeline = new Codepipeline(this, "Resource", {
      name: props.pipelineName,
      pipelineType: "V2",
      // SUPERSEDED: `release` is a moving tag, so only the newest pushed image matters. A newer
      // execution replaces an older one waiting between stages, so approvers never work through
      // a backlog of stale releases. Each execution still deploys its own digest-pinned artifact.
      executionMode: props.executionMode ?? "SUPERSEDED",
      roleArn: this.role.arn,
      artifactStore: [
        {
          type: "S3",
          location: props.artifactBucket.name,
          encryptionKey: { id: props.kmsKeyArn, type: "KMS" },
        },
      ],
      stage: pipelineStages({
        service,
        repositoryName: props.repository.name,
        imageTag: props.imageTag,
        configSource: props.configSource,
        buildProjectName: this.buildProject.name,
        recordProjectName: this.recordProject.name,
        environments: props.environments.map((env) => ({
          name: env.name,
          clusterName: env.clusterName,
          ecsServiceName: env.serviceName,
          url: env.url,
          deployRoleArn: env.deployRoleArn,
          testProjectName: this.testProjects[env.name]?.name,
          codeDeploy: env.codeDeploy,
        })),
        approvalTopicArn: props.approvalTopicArn,
        approvalTimeoutMinutes: props.approvalTimeoutMinutes,
        deployTimeoutMinutes: props.deployTimeoutMinutes,
        beforeApprovalBake: this.bake(
          props,
          props.environments[props.environments.length - 2],
          props.bake.beforeApprovalMinutes,
        ),
        afterReleaseBake: this.bake(props, last, props.bake.afterReleaseMinutes),
        imageScan: props.imageScan,
        releaseNotesProjectName: this.releaseNotesProject.name,
      }),
      // CodePipeline checks its role's permissions when actions run, not at creation, but the
      // first EventBridge-started execution can race a policy created in the same apply.
      dependsOn: [rolePolicy, logGroup, ...(props.sourceDependencies ?? [])],
    });

    new PipelineTrigger(this, "Trigger", {
      pipelineArn: this.pipeline.arn,
      roleName: naming.name(`${service}-pipeline-events`, "iamRole"),
      accountId,
      rules: this.triggerRules(props),
    });

    new CodestarnotificationsNotificationRule(this, "Notifications", {
      name: naming.name(`${service}-delivery`, "notificationRule"),
      resource: this.pipeline.arn,
      detailType: "FULL",
      eventTypeIds: [...NOTIFICATION_EVENTS],
      target: [{ address: props.approvalTopicArn, type: "SNS" }],
      // Without the topic policy in place, the rule's target starts out unreachable.
      dependsOn: [...(props.approvalTopicDependencies ?? [])],
    });
  }

  private triggerRules(props: ServicePipelineProps): TriggerRule[] {
    const { naming, service } = props;
    const rules: TriggerRule[] = [
      {
        id: "ImagePushed",
        ruleName: naming.name(`${service}-image-pushed`, "eventRule"),
        description: `Starts ${props.pipelineName} when ${props.repository.name}:${props.imageTag} is pushed`,
        eventPattern: {
          source: ["aws.ecr"],
          "detail-type": ["ECR Image Action"],
          detail: {
            "action-type": ["PUSH"],
            result: ["SUCCESS"],
            "repository-name": [props.repository.name],
            "image-tag": [props.imageTag],
          },
        },
      },
    ];
    const source = props.configSource;
    if (source.type === "codecommit") {
      rules.push({
        id: "ConfigChanged",
        ruleName: naming.name(`${service}-config-changed`, "eventRule"),
        description: `Starts ${props.pipelineName} on a push to ${source.repositoryName}@${source.branch}`,
        eventPattern: {
          source: ["aws.codecommit"],
          "detail-type": ["CodeCommit Repository State Change"],
          resources: [source.repositoryArn],
          detail: {
            event: ["referenceCreated", "referenceUpdated"],
            referenceType: ["branch"],
            referenceName: [source.branch],
          },
        },
      });
    } else if (source.type === "s3") {
      // S3 EventBridge notifications (enabled on the bucket by the stack) instead of CloudTrail
      // data events: no trail to run and pay for, same "Object Created" event.
      rules.push({
        id: "ConfigChanged",
        ruleName: naming.name(`${service}-config-changed`, "eventRule"),
        description: `Starts ${props.pipelineName} when s3://${source.bucketName}/${source.objectKey} changes`,
        eventPattern: {
          source: ["aws.s3"],
          "detail-type": ["Object Created"],
          detail: {
            bucket: { name: [source.bucketName] },
            object: { key: [source.objectKey] },
          },
        },
      });
    }
    // github: DetectChanges is off; config changes ship with the next image push (docs/pipeline.md).
    return rules;
  }

  /** One environment's bake: its alarms, read directly or through its deploy role. */
  private bake(props: ServicePipelineProps, env: PipelineEnvironment, minutes: number) {
    return {
      environment: env.name,
      region: env.region,
      alarmNames: env.bakeAlarmNames,
      minutes,
      readRoleArn: env.deployRoleArn,
      native:
        !env.deployRoleArn && env.accountId === props.accountId && env.region === props.region,
    };
  }

  private roleStatements(props: ServicePipelineProps): PolicyStatement[] {
    const bucket = props.artifactBucket.arn;
    const statements: PolicyStatement[] = [
      {
        Sid: "ArtifactObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        Resource: `${bucket}/*`,
      },
      {
        Sid: "ArtifactBucket",
        Effect: "Allow",
        Action: ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:ListBucket"],
        Resource: bucket,
      },
      {
        Sid: "ArtifactKey",
        Effect: "Allow",
        Action: [
          "kms:Decrypt",
          "kms:Encrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:DescribeKey",
        ],
        Resource: props.kmsKeyArn,
      },
      {
        Sid: "ImageSource",
        Effect: "Allow",
        Action: "ecr:DescribeImages",
        Resource: props.repository.arn,
      },
      ...configSourceStatements(props.configSource, props.region),
      {
        Sid: "RunBuilds",
        Effect: "Allow",
        Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
        Resource: [
          this.buildProject.arn,
          ...Object.values(this.testProjects).map((p) => p.arn),
          this.recordProject.arn,
          this.releaseNotesProject.arn,
        ],
      },
      {
        // The bake conditions' Commands rules and the image scan run on compute CodePipeline
        // manages, logging to the pipeline's log group as the pipeline role. The group exists
        // (above); CreateLogGroup stays allowed on it alone, as AWS documents it for Commands.
        Sid: "ConditionAndScanLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
          `arn:aws:logs:${props.region}:${props.accountId}:log-group:${pipelineLogGroupName(props.pipelineName)}`,
          `arn:aws:logs:${props.region}:${props.accountId}:log-group:${pipelineLogGroupName(props.pipelineName)}:log-stream:*`,
        ],
      },
      {
        Sid: "NotifyApprovers",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: props.approvalTopicArn,
      },
    ];
    const local = props.environments.filter((env) => !env.deployRoleArn);
    const bakedLocally = props.environments.slice(-2).filter((env) => !env.deployRoleArn);
    if (bakedLocally.length > 0) {
      bakedLocally.forEach((env) =>
        statements.push(
          alarmReadStatement(`ReadBakeAlarms${pascal(env.name)}`, env, env.bakeAlarmNames),
        ),
      );
    }
    if (props.imageScan) {
      statements.push(
        {
          Sid: "ScanImages",
          Effect: "Allow",
          // The scan pulls the image (an ECR login first) and sends its SBOM to Inspector;
          // neither API has resource-level permissions (AWS: InspectorScan action reference).
          Action: ["inspector-scan:ScanSbom", "ecr:GetAuthorizationToken"],
          Resource: "*",
        },
        {
          Sid: "ReadCandidateImage",
          Effect: "Allow",
          Action: [
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "ecr:BatchCheckLayerAvailability",
          ],
          Resource: props.repository.arn,
        },
        {
          Sid: "DecryptCandidateImage",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: props.repositoryKeyArn,
          Condition: { StringEquals: { "kms:ViaService": `ecr.${props.region}.amazonaws.com` } },
        },
      );
    }
    local.forEach((env) => {
      statements.push(...ecsDeployStatements(env, `Deploy${pascal(env.name)}`));
    });
    if (local.length > 0) statements.push(DESCRIBE_TASK_DEFINITION);
    const crossAccount = props.environments.flatMap((env) =>
      env.deployRoleArn ? [env.deployRoleArn] : [],
    );
    if (crossAccount.length > 0) {
      statements.push({
        Sid: "AssumeCrossAccountDeployRoles",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: crossAccount,
      });
    }
    return statements;
  }
}

function configSourceStatements(source: ConfigSourceRef, region: string): PolicyStatement[] {
  switch (source.type) {
    case "codecommit":
      return [
        {
          Sid: "ConfigSource",
          Effect: "Allow",
          Action: [
            "codecommit:GetBranch",
            "codecommit:GetCommit",
            "codecommit:GetRepository",
            "codecommit:UploadArchive",
            "codecommit:GetUploadArchiveStatus",
            "codecommit:CancelUploadArchive",
          ],
          Resource: source.repositoryArn,
        },
        {
          Sid: "ConfigSourceKey",
          Effect: "Allow",
          // CodeCommit encrypts and decrypts the repository with its customer managed key on
          // behalf of the caller, so the caller needs the key, but only through CodeCommit.
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: source.kmsKeyArn,
          Condition: {
            StringEquals: { "kms:ViaService": `codecommit.${region}.amazonaws.com` },
          },
        },
      ];
    case "s3":
      return [
        {
          Sid: "ConfigSource",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          Resource: `${source.bucketArn}/${source.objectKey}`,
        },
        {
          Sid: "ConfigSourceBucket",
          Effect: "Allow",
          Action: ["s3:GetBucketVersioning", "s3:GetBucketLocation"],
          Resource: source.bucketArn,
        },
      ];
    case "github":
      return [
        {
          Sid: "ConfigSource",
          Effect: "Allow",
          // The connection ARN may be of either service prefix; both actions authorize it.
          Action: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
          Resource: source.connectionArn,
        },
      ];
  }
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join("");
}

/** Where CodePipeline writes the logs of a pipeline's Commands rules and scan actions. */
export function pipelineLogGroupName(pipelineName: string): string {
  return `/aws/codepipeline/${pipelineName}`;
}
