import type {
  CodepipelineStage,
  CodepipelineStageAction,
} from "@cdktf/provider-aws/lib/codepipeline";
import { IMAGE_DEFINITIONS_FILE } from "./imagedefinitions";
import { APPROVAL_ACTION, APPROVAL_STAGE } from "./names";
import { RECORD_VARIABLES } from "./record-deployment";

/*
 * The stages of one service's delivery pipeline as data: Source -> Build -> (Deploy, Test) per
 * pre-production environment -> Approval -> Deploy of the last environment. The construct that
 * renders them (service-pipeline.ts) only adds the AWS resources these actions name.
 */

/** Artifact names: each is produced by exactly one action and consumed by later ones. */
export const ARTIFACTS = {
  image: "ImageArtifact",
  config: "ConfigArtifact",
  build: "BuildArtifact",
} as const;

/** Action namespaces, for `#{Namespace.Variable}` references in later actions. */
export const NAMESPACES = { image: "Image", config: "Config", build: "Build" } as const;

/** Where deployment config and test scripts come from, resolved to concrete resources. */
export type ConfigSourceRef =
  | {
      readonly type: "codecommit";
      readonly repositoryName: string;
      readonly repositoryArn: string;
      /** The customer managed key that encrypts the repository. */
      readonly kmsKeyArn: string;
      readonly branch: string;
    }
  | {
      readonly type: "s3";
      readonly bucketName: string;
      readonly bucketArn: string;
      readonly objectKey: string;
    }
  | {
      readonly type: "github";
      readonly connectionArn: string;
      /** `owner/repo` */
      readonly repository: string;
      readonly branch: string;
    };

/** One environment the pipeline deploys to. */
export interface StageEnvironment {
  readonly name: string;
  readonly clusterName: string;
  readonly ecsServiceName: string;
  /** The service's public URL in this environment. */
  readonly url: string;
  /** Role in the environment's account the deploy action runs as. @default - the pipeline role */
  readonly deployRoleArn?: string;
  /** CodeBuild project of this environment's smoke test (all but the last environment). */
  readonly testProjectName?: string;
}

export interface StagesModel {
  readonly service: string;
  readonly repositoryName: string;
  readonly imageTag: string;
  readonly configSource: ConfigSourceRef;
  readonly buildProjectName: string;
  /** CodeBuild project that tags the deployed digest in ECR after each deploy. */
  readonly recordProjectName: string;
  /** In promotion order; the last is gated by the approval. */
  readonly environments: readonly StageEnvironment[];
  readonly approvalTopicArn: string;
  readonly approvalTimeoutMinutes: number;
  readonly deployTimeoutMinutes: number;
}

function configSourceAction(source: ConfigSourceRef): CodepipelineStageAction {
  const common = {
    name: "Config",
    category: "Source",
    owner: "AWS",
    version: "1",
    outputArtifacts: [ARTIFACTS.config],
    namespace: NAMESPACES.config,
    runOrder: 1,
  };
  switch (source.type) {
    case "codecommit":
      return {
        ...common,
        provider: "CodeCommit",
        configuration: {
          RepositoryName: source.repositoryName,
          BranchName: source.branch,
          // EventBridge starts the pipeline; polling would be slower and is deprecated.
          PollForSourceChanges: "false",
          OutputArtifactFormat: "CODE_ZIP",
        },
      };
    case "s3":
      return {
        ...common,
        provider: "S3",
        configuration: {
          S3Bucket: source.bucketName,
          S3ObjectKey: source.objectKey,
          PollForSourceChanges: "false",
        },
      };
    case "github":
      return {
        ...common,
        provider: "CodeStarSourceConnection",
        configuration: {
          ConnectionArn: source.connectionArn,
          FullRepositoryId: source.repository,
          BranchName: source.branch,
          // The image push is the release trigger; config changes ride along with the next one.
          DetectChanges: "false",
          OutputArtifactFormat: "CODE_ZIP",
        },
      };
  }
}

/** The second action of every Deploy stage: it runs only when the ECS deploy succeeded. */
export const RECORD_ACTION = "RecordDeployment";

/*
 * Recording is an action of the Deploy stage (runOrder 2), not a stage of its own: in SUPERSEDED
 * mode a newer execution may replace an older one waiting BETWEEN stages, so a separate stage
 * could lose the record of a deploy that happened; within a stage the execution runs to the end.
 * A failed record fails the stage (loudly: the image would not be protected); "Retry failed
 * actions" re-runs only the record.
 */
function deployStage(
  env: StageEnvironment,
  timeoutMinutes: number,
  recordProjectName: string,
): CodepipelineStage {
  return {
    name: `Deploy-${env.name}`,
    action: [
      {
        name: "Deploy",
        category: "Deploy",
        owner: "AWS",
        provider: "ECS",
        version: "1",
        inputArtifacts: [ARTIFACTS.build],
        configuration: {
          ClusterName: env.clusterName,
          ServiceName: env.ecsServiceName,
          FileName: IMAGE_DEFINITIONS_FILE,
          DeploymentTimeout: String(timeoutMinutes),
        },
        ...(env.deployRoleArn ? { roleArn: env.deployRoleArn } : {}),
        runOrder: 1,
      },
      {
        name: RECORD_ACTION,
        category: "Build",
        owner: "AWS",
        provider: "CodeBuild",
        version: "1",
        // CodeBuild actions need an input artifact; the project reads only the variables below.
        inputArtifacts: [ARTIFACTS.build],
        configuration: {
          ProjectName: recordProjectName,
          EnvironmentVariables: JSON.stringify([
            { name: RECORD_VARIABLES.environment, value: env.name, type: "PLAINTEXT" },
            {
              name: RECORD_VARIABLES.digest,
              value: `#{${NAMESPACES.build}.IMAGE_DIGEST}`,
              type: "PLAINTEXT",
            },
            {
              name: RECORD_VARIABLES.executionId,
              value: "#{codepipeline.PipelineExecutionId}",
              type: "PLAINTEXT",
            },
          ]),
        },
        // Runs in the tooling account (where ECR is) as the pipeline role, for every environment.
        runOrder: 2,
      },
    ],
  };
}

function testStage(env: StageEnvironment): CodepipelineStage {
  if (!env.testProjectName) throw new Error(`environment ${env.name} has no test project`);
  return {
    name: `Test-${env.name}`,
    action: [
      {
        name: "SmokeTest",
        category: "Test",
        owner: "AWS",
        provider: "CodeBuild",
        version: "1",
        inputArtifacts: [ARTIFACTS.config],
        configuration: {
          ProjectName: env.testProjectName,
          EnvironmentVariables: JSON.stringify([
            {
              name: "IMAGE_DIGEST",
              value: `#{${NAMESPACES.build}.IMAGE_DIGEST}`,
              type: "PLAINTEXT",
            },
          ]),
        },
        runOrder: 1,
      },
    ],
  };
}

/** What the approver reads in the email and the console (CodePipeline allows 500 characters). */
export function approvalCustomData(
  service: string,
  testedIn: string,
  target: string,
  configSource: ConfigSourceRef["type"],
): string {
  const b = NAMESPACES.build;
  // S3 sources export VersionId; CodeCommit and CodeConnections sources export CommitId.
  const configVersion = `#{${NAMESPACES.config}.${configSource === "s3" ? "VersionId" : "CommitId"}}`;
  return (
    `Release ${service} to ${target}: image #{${b}.IMAGE_DIGEST} ` +
    `(commit #{${b}.IMAGE_COMMIT}), deploy config ${configVersion}. ` +
    `Deployed and smoke-tested in ${testedIn}; approving deploys exactly this digest.`
  );
}

/** The pipeline's stages, in order. */
export function pipelineStages(model: StagesModel): CodepipelineStage[] {
  const envs = model.environments;
  if (envs.length < 2) throw new Error("a delivery pipeline needs at least two environments");
  const last = envs[envs.length - 1];
  const beforeLast = envs[envs.length - 2];
  const stages: CodepipelineStage[] = [
    {
      name: "Source",
      action: [
        {
          name: "Image",
          category: "Source",
          owner: "AWS",
          provider: "ECR",
          version: "1",
          outputArtifacts: [ARTIFACTS.image],
          namespace: NAMESPACES.image,
          configuration: { RepositoryName: model.repositoryName, ImageTag: model.imageTag },
          runOrder: 1,
        },
        configSourceAction(model.configSource),
      ],
    },
    {
      name: "Build",
      action: [
        {
          name: "ImageDefinitions",
          category: "Build",
          owner: "AWS",
          provider: "CodeBuild",
          version: "1",
          inputArtifacts: [ARTIFACTS.image],
          outputArtifacts: [ARTIFACTS.build],
          namespace: NAMESPACES.build,
          configuration: { ProjectName: model.buildProjectName },
          runOrder: 1,
        },
      ],
    },
  ];
  for (const env of envs.slice(0, -1)) {
    stages.push(
      deployStage(env, model.deployTimeoutMinutes, model.recordProjectName),
      testStage(env),
    );
  }
  const customData = approvalCustomData(
    model.service,
    beforeLast.name,
    last.name,
    model.configSource.type,
  );
  stages.push(
    {
      name: APPROVAL_STAGE,
      action: [
        {
          name: APPROVAL_ACTION,
          category: "Approval",
          owner: "AWS",
          provider: "Manual",
          version: "1",
          configuration: {
            NotificationArn: model.approvalTopicArn,
            CustomData: customData,
            ExternalEntityLink: beforeLast.url,
          },
          // Without this CodePipeline waits 7 days; AWS allows 5 to 10080 minutes.
          timeoutInMinutes: model.approvalTimeoutMinutes,
          runOrder: 1,
        },
      ],
    },
    deployStage(last, model.deployTimeoutMinutes, model.recordProjectName),
  );
  return stages;
}
