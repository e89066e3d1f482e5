import type { PolicyStatement } from "../policies/document";

/** One ECS service a pipeline deploys, with everything its IAM statements name. */
export interface EcsDeployTarget {
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** Task definition family: RegisterTaskDefinition is scoped to it. */
  readonly taskFamily: string;
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
  /** Blue/green: CodeDeploy deploys it (no ECS UpdateService). @default - rolling */
  readonly codeDeploy?: { readonly application: string; readonly deploymentGroup: string };
}

/**
 * What the CodePipeline ECS deploy action needs to roll one service to a new task definition
 * revision, and nothing else. Used by the pipeline role (same-account targets) and by the
 * cross-account deploy role (other accounts). `sid` keeps statement ids unique per target.
 */
export function ecsDeployStatements(target: EcsDeployTarget, sid: string): PolicyStatement[] {
  const ecs = `arn:aws:ecs:${target.region}:${target.accountId}`;
  const clusterArn = `${ecs}:cluster/${target.clusterName}`;
  const familyArn = `${ecs}:task-definition/${target.taskFamily}:*`;
  const registerAndPass: PolicyStatement[] = [
    {
      Sid: `${sid}TaskDefinition`,
      Effect: "Allow",
      Action: "ecs:RegisterTaskDefinition",
      Resource: familyArn,
    },
    {
      Sid: `${sid}TagTaskDefinition`,
      Effect: "Allow",
      Action: "ecs:TagResource",
      Resource: familyArn,
      Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
    },
    {
      Sid: `${sid}PassTaskRoles`,
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: [target.taskRoleArn, target.executionRoleArn],
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
  if (target.codeDeploy) {
    // The CodeDeployToECS action registers the rendered task definition, then asks CodeDeploy
    // for a deployment of this one deployment group (Amazon ECS Developer Guide, "CodeDeploy
    // blue/green deployments": permissions of the pipeline's action role).
    const codedeploy = `arn:aws:codedeploy:${target.region}:${target.accountId}`;
    const { application, deploymentGroup } = target.codeDeploy;
    return [
      ...registerAndPass,
      {
        Sid: `${sid}Deployments`,
        Effect: "Allow",
        Action: ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
        Resource: `${codedeploy}:deploymentgroup:${application}/${deploymentGroup}`,
      },
      {
        Sid: `${sid}Revisions`,
        Effect: "Allow",
        Action: [
          "codedeploy:GetApplication",
          "codedeploy:GetApplicationRevision",
          "codedeploy:RegisterApplicationRevision",
        ],
        Resource: `${codedeploy}:application:${application}`,
      },
      {
        Sid: `${sid}DeploymentConfig`,
        Effect: "Allow",
        Action: "codedeploy:GetDeploymentConfig",
        Resource: `${codedeploy}:deploymentconfig:*`,
      },
    ];
  }
  return [
    {
      Sid: `${sid}Service`,
      Effect: "Allow",
      Action: ["ecs:DescribeServices", "ecs:UpdateService"],
      Resource: `${ecs}:service/${target.clusterName}/${target.serviceName}`,
    },
    ...registerAndPass.slice(0, 2),
    {
      Sid: `${sid}Tasks`,
      Effect: "Allow",
      Action: "ecs:DescribeTasks",
      Resource: `${ecs}:task/${target.clusterName}/*`,
    },
    {
      Sid: `${sid}ListTasks`,
      Effect: "Allow",
      Action: "ecs:ListTasks",
      // ListTasks is authorized on container instances; the cluster condition scopes it.
      Resource: "*",
      Condition: { ArnEquals: { "ecs:cluster": clusterArn } },
    },
    registerAndPass[2],
  ];
}

/**
 * ecs:DescribeTaskDefinition supports no resource-level permissions: AWS requires `*`. It reads
 * only the definition the action is about to copy.
 */
export const DESCRIBE_TASK_DEFINITION: PolicyStatement = {
  Sid: "DescribeTaskDefinitions",
  Effect: "Allow",
  Action: "ecs:DescribeTaskDefinition",
  Resource: "*",
};

/** The pipeline's artifact store, named in advance (src/model/pipeline-resource-names.ts). */
export interface ArtifactStoreRef {
  readonly bucketArn: string;
  /** Account and region of the pipeline's key, and its alias (`alias/...`). */
  readonly keyAccountId: string;
  readonly keyRegion: string;
  readonly keyAlias: string;
}

/**
 * Read the pipeline's artifacts (objects and their versions) and decrypt them through S3. The key
 * is named by its alias (kms:ResourceAliases): its id exists only after the `pipeline` stack ran,
 * and the deploy roles are created before it (CreatePipeline checks that they exist).
 */
export function artifactReadStatements(store: ArtifactStoreRef): PolicyStatement[] {
  return [
    {
      Sid: "ReadPipelineArtifacts",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `${store.bucketArn}/*`,
    },
    {
      Sid: "DecryptPipelineArtifacts",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: `arn:aws:kms:${store.keyRegion}:${store.keyAccountId}:key/*`,
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": store.keyAlias } },
    },
  ];
}

/**
 * Reading a release's bake alarms (cloudwatch:DescribeAlarms, scoped to those alarms): the
 * pipeline role for its own account's environments, the deploy role in another account's.
 */
export function alarmReadStatement(
  sid: string,
  target: { readonly accountId: string; readonly region: string },
  alarmNames: readonly string[],
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: "cloudwatch:DescribeAlarms",
    Resource: alarmNames.map(
      (name) => `arn:aws:cloudwatch:${target.region}:${target.accountId}:alarm:${name}`,
    ),
  };
}
