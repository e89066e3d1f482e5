import type {
  CodepipelineStage,
  CodepipelineStageAction,
} from "@cdktf/provider-aws/lib/codepipeline";
import { blueGreenFiles } from "./blue-green-render";
import { bakeRules, type Bake } from "./gates";
import { IMAGE_DEFINITIONS_FILE } from "./imagedefinitions";
import { APPROVAL_ACTION, APPROVAL_STAGE } from "../model/pipeline-resource-names";
import { candidateTag, RECORD_VARIABLES } from "./record-deployment";
import { RELEASE_ENV } from "./release-notes";

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
  /** The Amazon Inspector scan's SBOM, kept with the execution's artifacts. */
  sbom: "ScanSbomArtifact",
} as const;

/** Action namespaces, for `#{Namespace.Variable}` references in later actions. */
export const NAMESPACES = {
  image: "Image",
  config: "Config",
  build: "Build",
  scan: "Scan",
  release: "Release",
} as const;

/** Per-severity thresholds of the Amazon Inspector scan: findings allowed (none: no limit). */
export interface ScanThresholds {
  readonly critical: number;
  readonly high?: number;
  readonly medium?: number;
  readonly low?: number;
}

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
  /** Blue/green: CodeDeploy deploys the service here. @default - ECS rolling deploy */
  readonly codeDeploy?: { readonly application: string; readonly deploymentGroup: string };
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
  /** The environment before the approval must bake this long before the approval opens. */
  readonly beforeApprovalBake: Omit<Bake, "inputArtifact">;
  /** The last environment is watched this long after its deploy; an alarm rolls it back. */
  readonly afterReleaseBake: Omit<Bake, "inputArtifact">;
  /** The image scan gate; undefined: no scan. */
  readonly imageScan?: ScanThresholds;
  /** CodeBuild project that finds what the last environment runs (release notes). */
  readonly releaseNotesProjectName: string;
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

/** The release's digest and the execution's id, as later actions read them. */
const IMAGE_DIGEST = `#{${NAMESPACES.build}.IMAGE_DIGEST}`;
const EXECUTION_ID = "#{codepipeline.PipelineExecutionId}";

/**
 * A CodeBuild action with plain-text environment variables (in the order given). CodeBuild
 * actions need an input artifact; these read the build's, unless the caller names another.
 */
function codeBuildAction(
  name: string,
  category: "Build" | "Test",
  projectName: string,
  runOrder: number,
  variables: Readonly<Record<string, string>>,
): CodepipelineStageAction {
  return {
    name,
    category,
    owner: "AWS",
    provider: "CodeBuild",
    version: "1",
    inputArtifacts: [ARTIFACTS.build],
    configuration: {
      ProjectName: projectName,
      EnvironmentVariables: JSON.stringify(
        Object.entries(variables).map(([key, value]) => ({ name: key, value, type: "PLAINTEXT" })),
      ),
    },
    runOrder,
  };
}

/** The second action of every Deploy stage: it runs only when the ECS deploy succeeded. */
export const RECORD_ACTION = "RecordDeployment";

/*
 * Recording is an action of the Deploy stage (runOrder 2), not a stage of its own: in SUPERSEDED
 * mode a newer execution may replace an older one waiting BETWEEN stages, so a separate stage
 * could lose the record of a deploy that happened; within a stage the execution runs to the end.
 * A failed record fails the stage (loudly: the image would not be protected), and the stage's
 * on-failure rollback then redeploys the previous release; the record project retries ECR's
 * throttling itself so that a good deploy is not undone for a transient error.
 */
function deployStage(
  env: StageEnvironment,
  timeoutMinutes: number,
  recordProjectName: string,
): CodepipelineStage {
  return {
    name: `Deploy-${env.name}`,
    // A failed deploy (or, in the last environment, a failed bake) redeploys the artifacts of
    // the stage's last successful execution (CodePipeline V2 stage rollback).
    onFailure: { result: "ROLLBACK" },
    action: [
      {
        ...deployAction(env, timeoutMinutes),
        ...(env.deployRoleArn ? { roleArn: env.deployRoleArn } : {}),
        runOrder: 1,
      },
      // Runs in the tooling account (where ECR is) as the pipeline role, for every environment.
      codeBuildAction(RECORD_ACTION, "Build", recordProjectName, 2, {
        [RECORD_VARIABLES.environment]: env.name,
        [RECORD_VARIABLES.digest]: IMAGE_DIGEST,
        [RECORD_VARIABLES.executionId]: EXECUTION_ID,
      }),
    ],
  };
}

/** The deploy action proper: an ECS rolling deploy, or a CodeDeploy blue/green deployment. */
function deployAction(env: StageEnvironment, timeoutMinutes: number): CodepipelineStageAction {
  const common = {
    name: "Deploy",
    category: "Deploy",
    owner: "AWS",
    version: "1",
    inputArtifacts: [ARTIFACTS.build],
  };
  if (env.codeDeploy) {
    const files = blueGreenFiles(env.name);
    // CodeDeployToECS (CodePipeline action reference): registers the rendered task definition
    // (already digest-pinned, so no Image1ArtifactName) and deploys it with the AppSpec, whose
    // <TASK_DEFINITION> it fills in. CodeDeploy bounds the deployment itself (no timeout key).
    return {
      ...common,
      provider: "CodeDeployToECS",
      configuration: {
        ApplicationName: env.codeDeploy.application,
        DeploymentGroupName: env.codeDeploy.deploymentGroup,
        TaskDefinitionTemplateArtifact: ARTIFACTS.build,
        TaskDefinitionTemplatePath: files.taskDefinition,
        AppSpecTemplateArtifact: ARTIFACTS.build,
        AppSpecTemplatePath: files.appSpec,
      },
    };
  }
  return {
    ...common,
    provider: "ECS",
    configuration: {
      ClusterName: env.clusterName,
      ServiceName: env.ecsServiceName,
      FileName: IMAGE_DEFINITIONS_FILE,
      DeploymentTimeout: String(timeoutMinutes),
    },
  };
}

function testStage(env: StageEnvironment): CodepipelineStage {
  if (!env.testProjectName) throw new Error(`environment ${env.name} has no test project`);
  return {
    name: `Test-${env.name}`,
    action: [
      {
        ...codeBuildAction("SmokeTest", "Test", env.testProjectName, 1, {
          IMAGE_DIGEST,
        }),
        // The smoke test reads its script from the deploy config.
        inputArtifacts: [ARTIFACTS.config],
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
  imageScan?: ScanThresholds,
): string {
  const b = NAMESPACES.build;
  const r = NAMESPACES.release;
  // S3 sources export VersionId; CodeCommit and CodeConnections sources export CommitId.
  const configVersion = `#{${NAMESPACES.config}.${configSource === "s3" ? "VersionId" : "CommitId"}}`;
  const scan = imageScan
    ? ` Amazon Inspector: within ${scanLimits(imageScan)}.`
    : " No image scan configured.";
  const text =
    `Release ${service} to ${target}: image #{${b}.IMAGE_DIGEST} ` +
    `(commit #{${b}.IMAGE_COMMIT}), deploy config ${configVersion}. ` +
    `#{${r}.CHANGE_SUMMARY}.${scan} ` +
    `Deployed, smoke-tested and baked in ${testedIn}; approving deploys exactly this digest.`;
  if (text.length > 500)
    throw new Error(`approval text for ${service} is ${text.length} characters`);
  return text;
}

/** "critical <= 0, high <= 5": the limits a passing scan met. */
export function scanLimits(t: ScanThresholds): string {
  return (["critical", "high", "medium", "low"] as const)
    .filter((k) => t[k] !== undefined)
    .map((k) => `${k} <= ${t[k]}`)
    .join(", ");
}

/**
 * The Scan stage: tag the exact digest `candidate--<execution id>` (the Inspector action takes a
 * tag, and the release tag may move to a newer push meanwhile), then scan that tag.
 */
function scanStage(model: StagesModel, thresholds: ScanThresholds): CodepipelineStage {
  const tc = THRESHOLD_KEYS;
  return {
    name: "Scan",
    action: [
      codeBuildAction("TagCandidate", "Build", model.recordProjectName, 1, {
        [RECORD_VARIABLES.purpose]: "candidate",
        [RECORD_VARIABLES.digest]: IMAGE_DIGEST,
        [RECORD_VARIABLES.executionId]: EXECUTION_ID,
      }),
      {
        name: "ImageScan",
        category: "Invoke",
        owner: "AWS",
        provider: "InspectorScan",
        version: "1",
        outputArtifacts: [ARTIFACTS.sbom],
        namespace: NAMESPACES.scan,
        configuration: {
          InspectorRunMode: "ECRImageScan",
          ECRRepositoryName: model.repositoryName,
          ImageTag: candidateTag(EXECUTION_ID),
          ...Object.fromEntries(
            (Object.keys(tc) as (keyof typeof tc)[])
              .filter((k) => thresholds[k] !== undefined)
              .map((k) => [tc[k], String(thresholds[k])]),
          ),
        },
        runOrder: 2,
      },
    ],
  };
}

/** InspectorScan's configuration key per severity: findings beyond it fail the action. */
export const THRESHOLD_KEYS = {
  critical: "CriticalThreshold",
  high: "HighThreshold",
  medium: "MediumThreshold",
  low: "LowThreshold",
} as const;

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
  if (model.imageScan) stages.push(scanStage(model, model.imageScan));
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
    model.imageScan,
  );
  const lastDeploy = deployStage(last, model.deployTimeoutMinutes, model.recordProjectName);
  stages.push(
    {
      name: APPROVAL_STAGE,
      // The release waits here until the environment before the approval has run without an
      // alarm for the bake time; an alarm fails the execution instead of asking for approval.
      beforeEntry: {
        condition: {
          result: "FAIL",
          rule: bakeRules({ ...model.beforeApprovalBake, inputArtifact: ARTIFACTS.build }),
        },
      },
      action: [
        {
          ...codeBuildAction("ReleaseNotes", "Build", model.releaseNotesProjectName, 1, {
            [RELEASE_ENV.target]: last.name,
            [RELEASE_ENV.digest]: IMAGE_DIGEST,
            [RELEASE_ENV.commit]: `#{${NAMESPACES.build}.IMAGE_COMMIT}`,
            [RELEASE_ENV.testedUrl]: beforeLast.url,
          }),
          namespace: NAMESPACES.release,
        },
        {
          name: APPROVAL_ACTION,
          category: "Approval",
          owner: "AWS",
          provider: "Manual",
          version: "1",
          configuration: {
            NotificationArn: model.approvalTopicArn,
            CustomData: customData,
            // The GitHub compare view from what runs in the last environment to this release;
            // the tested environment's URL on a first release.
            ExternalEntityLink: `#{${NAMESPACES.release}.CHANGE_LINK}`,
          },
          // Without this CodePipeline waits 7 days; AWS allows 5 to 10080 minutes.
          timeoutInMinutes: model.approvalTimeoutMinutes,
          runOrder: 2,
        },
      ],
    },
    {
      ...lastDeploy,
      // After the last deploy: an alarm within the bake time rolls the release back.
      onSuccess: {
        condition: {
          result: "ROLLBACK",
          rule: bakeRules({ ...model.afterReleaseBake, inputArtifact: ARTIFACTS.build }),
        },
      },
    },
  );
  return stages;
}
