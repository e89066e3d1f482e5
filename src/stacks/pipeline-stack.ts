import { deployConfigSeedZip } from "../pipeline/deploy-config-seed";
import { derivedDeployTimeoutMinutes } from "../pipeline/deploy-timeout";
import { serviceAlarmName } from "../model/service-alarm-names";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { TerraformOutput, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { EmailTopic } from "../constructs/email-topic";
import { logsKeyStatement } from "../policies/kms-statements";
import { AccessLogBucket } from "../constructs/access-log-bucket";
import { ManagedKey } from "../constructs/kms-key";
import { SecureBucket } from "../constructs/secure-bucket";
import {
  accountRootArn,
  policyDocument,
  renderPolicy,
  type PolicyStatement,
} from "../policies/document";
import {
  artifactBucketName,
  configBucketName,
  pipelineKeyAlias,
} from "../model/pipeline-resource-names";
import { ServicePipeline, type PipelineEnvironment } from "../pipeline/service-pipeline";
import type { ConfigSourceRef } from "../pipeline/stages";
import type { EcrOutputs, ServicesOutputs } from "./contracts";
import { platformModel } from "../model/platform-model";
import { PlatformStack } from "./platform-stack";

export interface PipelineStackProps {
  readonly config: PlatformConfig;
  readonly ecr: EcrOutputs;
  /** Outputs of `services-<env>` for every environment in `pipeline.promotion`, by name. */
  readonly services: Readonly<Record<string, ServicesOutputs>>;
}

/**
 * The delivery pipelines, in the tooling account: one CodePipeline (V2) per service, sharing an
 * artifact bucket, a customer managed key, the approval topic and the approvers' policy.
 *
 * One pipeline per service because each service has its own image, repository and release
 * cadence: a push of `api` must not redeploy or wait on `web`, a failed `web` smoke test must not
 * block an `api` fix, and an approver approves one image digest, not a bundle (docs/pipeline.md).
 */
export class PipelineStack extends PlatformStack {
  readonly key: ManagedKey;
  readonly artifactBucket: SecureBucket;
  readonly accessLogs: AccessLogBucket;
  readonly approvalTopic: EmailTopic;
  readonly pipelines: Record<string, ServicePipeline> = {};

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, { config: props.config });
    const config = props.config;
    const model = platformModel(config);
    const tooling = model.tooling;
    this.addAwsProvider(tooling);
    const { accountId, region } = tooling;
    const promotion = model.promotion;
    checkInputs(config, props);

    // Deploy roles in other accounts, by environment then service. Their ARNs are deterministic,
    // so this stack grants them before they exist and never reads the access stacks.
    const deployRoles: Record<string, Record<string, string>> = Object.fromEntries(
      Object.values(model.environments)
        .filter((env) => env.stackIds.pipelineAccess)
        .map((env) => [
          env.name,
          Object.fromEntries(
            Object.values(env.services).flatMap((s) =>
              s.deployRole ? [[s.name, s.deployRole.arn]] : [],
            ),
          ),
        ]),
    );
    const deployRoleArns = Object.values(deployRoles).flatMap((byService) =>
      Object.values(byService),
    );
    const deployAccounts = [
      ...new Set(Object.keys(deployRoles).map((env) => model.environments[env].target.accountId)),
    ];

    this.key = new ManagedKey(this, "Key", {
      alias: pipelineKeyAlias(config),
      administratorRoleArns: [this.ciApplyRoleArn],
      description: `Encrypts ${config.project} pipeline artifacts, approval topic and build logs`,
      accountId,
      statements: keyStatements(config.project, accountId, region, deployAccounts, deployRoleArns),
    });

    const bucketName = artifactBucketName(config, accountId);
    // S3 server access logs of the artifact bucket and of the S3 config source bucket.
    this.accessLogs = new AccessLogBucket(this, "AccessLogs", {
      bucketName: this.naming.bucket("pipeline-access-logs", accountId),
      accountId,
      sources: [
        { bucketName, prefix: "pipeline-artifacts/" },
        ...(config.pipeline.configSource.type === "s3"
          ? [{ bucketName: configBucketName(config, accountId), prefix: "deploy-config/" }]
          : []),
      ],
    });
    this.artifactBucket = new SecureBucket(this, "Artifacts", {
      bucketName,
      kmsKeyArn: this.key.arn,
      // Artifacts are inputs of one execution (an approval waits at most 7 days); a month keeps
      // recent executions inspectable and re-runnable.
      expireAfterDays: 30,
      noncurrentVersionDays: 7,
      accessLogs: this.accessLogs.target("pipeline-artifacts/"),
      policyStatements:
        deployRoleArns.length > 0
          ? [
              {
                Sid: "CrossAccountDeployRolesReadArtifacts",
                Effect: "Allow",
                // The account as principal and the role in the condition: a bucket policy naming
                // a role that does not exist yet is rejected, and the roles are created later.
                Principal: { AWS: deployAccounts.map(accountRootArn) },
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: `arn:aws:s3:::${bucketName}/*`,
                Condition: { ArnEquals: { "aws:PrincipalArn": deployRoleArns } },
              },
            ]
          : [],
    });

    const configSource = this.configSource(config, accountId, props.ecr);

    this.approvalTopic = new EmailTopic(this, "Approvals", {
      topicName: this.naming.name("release-approvals", "snsTopic"),
      displayName: `${config.project} release approvals`,
      kmsKeyArn: this.key.arn,
      accountId,
      emails: config.pipeline.approvers,
      publisherServices: ["codestar-notifications.amazonaws.com"],
    });

    const logRetentionDays = config.environments[promotion[0]].logRetentionDays;
    for (const service of config.services) {
      const environments: PipelineEnvironment[] = promotion.map((envName) => {
        const env = config.environments[envName];
        const ref = props.services[envName].services[service.name];
        return {
          name: envName,
          accountId: env.accountId,
          region: env.region,
          clusterName: ref.clusterName,
          serviceName: ref.ecsServiceName,
          containerName: ref.containerName,
          taskFamily: ref.taskFamily,
          taskRoleArn: ref.taskRoleArn,
          executionRoleArn: ref.executionRoleArn,
          url: ref.url,
          deployRoleArn: deployRoles[envName]?.[service.name],
          bakeAlarmNames: config.pipeline.bake.alarms.map((kind) =>
            serviceAlarmName(config, envName, service.name, kind),
          ),
          codeDeploy: ref.codeDeploy,
          deploymentTemplate: ref.deploymentTemplate,
        };
      });
      const pipeline = new ServicePipeline(this, service.name, {
        service: service.name,
        naming: this.naming,
        pipelineName: model.pipelines[service.name].name,
        roleName: model.pipelines[service.name].roleName,
        accountId,
        region,
        repository: props.ecr.repositories[service.name],
        repositoryKeyArn: props.ecr.kmsKeyArn,
        imageTag: config.pipeline.sourceImageTag,
        configSource: configSource.ref,
        sourceDependencies: configSource.ready,
        environments,
        artifactBucket: { name: this.artifactBucket.name, arn: this.artifactBucket.arn },
        kmsKeyArn: this.key.arn,
        approvalTopicArn: this.approvalTopic.arn,
        approvalTopicDependencies: [this.approvalTopic.policy],
        approvalTimeoutMinutes: config.pipeline.approvalTimeoutMinutes,
        deployTimeoutMinutes: config.pipeline.deployTimeoutMinutes ?? derivedDeployTimeoutMinutes(),
        logRetentionDays,
        healthCheckPath: service.healthCheckPath,
        bake: config.pipeline.bake,
        imageScan: config.pipeline.imageScan || undefined,
        sourceRepository: `${config.github.owner}/${config.github.appRepository}`,
      });
      this.pipelines[service.name] = pipeline;
    }

    const approvers = new IamPolicy(this, "ApproversPolicy", {
      name: this.naming.name("release-approvers", "iamPolicy"),
      description: `Approve or reject ${config.project} releases; attach to the approvers' group or role`,
      policy: renderPolicy(approversPolicy(Object.values(this.pipelines))),
    });

    new TerraformOutput(this, "pipeline_names", {
      value: Object.values(this.pipelines).map((p) => p.pipeline.name),
      description: "One delivery pipeline per service",
    });
    new TerraformOutput(this, "approvers_policy_arn", {
      value: approvers.arn,
      description: "Attach to the release approvers' IAM group or role",
    });
  }

  /**
   * The deploy-config source, with content before the pipeline exists: CodePipeline starts a run
   * as soon as a pipeline is created, and a source without content fails it at Source. S3: this
   * stack seeds the object (examples/deploy-config) and the pipelines wait for it. CodeCommit:
   * the repository lives in the `ecr` stack and the operator creates its branch before this stack
   * (Terraform cannot commit). CodeConnections: the connection and the repository are the
   * operator's; the runbook has the handshake completed before this stack.
   */
  private configSource(
    config: PlatformConfig,
    accountId: string,
    ecr: EcrOutputs,
  ): { ref: ConfigSourceRef; ready: ITerraformDependable[] } {
    const source = config.pipeline.configSource;
    switch (source.type) {
      case "codecommit": {
        const repo = ecr.configRepository;
        if (!repo) throw new Error("the ecr outputs have no deploy-config repository");
        return {
          ref: {
            type: "codecommit",
            repositoryName: repo.name,
            repositoryArn: repo.arn,
            kmsKeyArn: ecr.kmsKeyArn,
            branch: source.branch,
          },
          ready: [],
        };
      }
      case "s3": {
        const bucket = new SecureBucket(this, "ConfigBucket", {
          bucketName: configBucketName(config, accountId),
          kmsKeyArn: this.key.arn,
          accessLogs: this.accessLogs.target("deploy-config/"),
        });
        // Sends "Object Created" events to EventBridge, which starts the pipelines.
        new S3BucketNotification(this, "ConfigBucketEvents", {
          bucket: bucket.bucket.id,
          eventbridge: true,
        });
        const object = new S3Object(this, "ConfigSeed", {
          bucket: bucket.name,
          key: source.objectKey,
          // The seed is a few kilobytes: carried in the stack itself, it needs no asset file next
          // to the stack (nothing for an HCP Terraform run to upload) and no archiving child
          // process at synth.
          contentBase64: deployConfigSeedZip().toString("base64"),
          contentType: "application/zip",
          serverSideEncryption: "aws:kms",
          kmsKeyId: this.key.arn,
          // A seed, created once: afterwards the operator uploads new versions and Terraform must
          // never put the example back over them.
          lifecycle: { ignoreChanges: "all" },
          dependsOn: [bucket.bucket],
        });
        return {
          ref: {
            type: "s3",
            bucketName: bucket.name,
            bucketArn: bucket.arn,
            objectKey: source.objectKey,
          },
          ready: [object],
        };
      }
      case "github":
        return {
          ref: {
            type: "github",
            connectionArn: source.connectionArn,
            repository:
              source.repository ?? `${config.github.owner}/${config.github.infraRepository}`,
            branch: source.branch,
          },
          ready: [],
        };
    }
  }
}

/** The producer outputs must cover every promotion environment and service (config rules, the region included, are validation's). */
function checkInputs(config: PlatformConfig, props: PipelineStackProps): void {
  const problems: string[] = [];
  for (const envName of config.pipeline.promotion) {
    const env = config.environments[envName];
    if (!env) {
      problems.push(`pipeline.promotion: unknown environment ${envName}`);
      continue;
    }
    const outputs = props.services[envName];
    if (!outputs) {
      problems.push(`pipeline stack: no services outputs for environment ${envName}`);
      continue;
    }
    for (const service of config.services) {
      if (!outputs.services[service.name]) {
        problems.push(`pipeline stack: services-${envName} has no service ${service.name}`);
      }
    }
  }
  for (const service of config.services) {
    if (!props.ecr.repositories[service.name]) {
      problems.push(`pipeline stack: the ecr outputs have no repository for ${service.name}`);
    }
  }
  if (problems.length > 0) throw new Error(`pipeline stack:\n  ${problems.join("\n  ")}`);
}

function keyStatements(
  project: string,
  accountId: string,
  region: string,
  deployAccounts: readonly string[],
  deployRoleArns: readonly string[],
): PolicyStatement[] {
  // In a key policy, Resource "*" means this key (AWS requires "*" there).
  const statements: PolicyStatement[] = [
    logsKeyStatement(region, accountId, `/aws/codebuild/${project}-*`, "CodeBuildLogGroupsUseKey"),
    // Bake rules and image scans (pipelineLogGroupName).
    logsKeyStatement(
      region,
      accountId,
      `/aws/codepipeline/${project}-*`,
      "PipelineLogGroupsUseKey",
    ),
    {
      Sid: "NotificationsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "codestar-notifications.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
    },
  ];
  if (deployRoleArns.length > 0) {
    statements.push({
      Sid: "CrossAccountDeployRolesDecryptArtifacts",
      Effect: "Allow",
      // Account principal plus role condition: a key policy may not name a role that does not
      // exist yet, and the deploy roles are created after this key.
      Principal: { AWS: deployAccounts.map(accountRootArn) },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { ArnEquals: { "aws:PrincipalArn": [...deployRoleArns] } },
    });
  }
  return statements;
}

/** Approvers may approve or reject the approval actions and read the pipelines; nothing else. */
function approversPolicy(pipelines: readonly ServicePipeline[]) {
  return policyDocument(
    {
      Sid: "ApproveReleases",
      Effect: "Allow",
      Action: "codepipeline:PutApprovalResult",
      Resource: pipelines.map((p) => p.approvalActionArn),
    },
    {
      Sid: "ReadPipelines",
      Effect: "Allow",
      Action: [
        "codepipeline:GetPipeline",
        "codepipeline:GetPipelineState",
        "codepipeline:GetPipelineExecution",
        "codepipeline:ListPipelineExecutions",
      ],
      Resource: pipelines.map((p) => p.pipelineArn),
    },
  );
}
