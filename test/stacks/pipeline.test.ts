import { isAllowed } from "../../src/iam/simulate";
import type { PolicyJson } from "../../src/synth/resolve";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { App } from "cdktf";
import { PipelineStack } from "../../src/stacks/pipeline-stack";
import { pipelineAccessEnvironments } from "../../src/model/targets";
import { runBuildPhase } from "../helpers/build-phase";
import { configProblems, exampleConfig } from "../helpers/config";
import { synthApp } from "../helpers/synth";
import {
  ecrOutputs,
  list,
  pipelines,
  resources,
  servicesOutputs,
  statementsOf,
  synthPipeline,
  type Action,
  type PipelineSynth,
  type Statement,
} from "../pipeline/fixtures";

const CROSS = exampleConfig(); // staging 111111111111, production 222222222222
const SINGLE = exampleConfig((c) => {
  c.environments.production.accountId = "111111111111";
});

/** Configuration keys exactly as AWS documents them for each action type. */
const CONFIG_KEYS: Record<string, string[]> = {
  ECR: ["ImageTag", "RepositoryName"],
  CodeCommit: ["BranchName", "OutputArtifactFormat", "PollForSourceChanges", "RepositoryName"],
  S3: ["PollForSourceChanges", "S3Bucket", "S3ObjectKey"],
  CodeStarSourceConnection: [
    "BranchName",
    "ConnectionArn",
    "DetectChanges",
    "FullRepositoryId",
    "OutputArtifactFormat",
  ],
  CodeBuild: ["ProjectName"],
  ECS: ["ClusterName", "DeploymentTimeout", "FileName", "ServiceName"],
  Manual: ["CustomData", "ExternalEntityLink", "NotificationArn"],
  // Amazon Inspector, ECR image mode; only the thresholds configured (critical: 0 by default).
  InspectorScan: ["CriticalThreshold", "ECRRepositoryName", "ImageTag", "InspectorRunMode"],
};
const CATEGORY: Record<string, string> = {
  ECR: "Source",
  CodeCommit: "Source",
  S3: "Source",
  CodeStarSourceConnection: "Source",
  ECS: "Deploy",
  Manual: "Approval",
  InspectorScan: "Invoke",
};

/** A stage by name (the order is asserted once, in "has the stages in order"). */
function stageOf(p: { stage: { name: string; action: Action[] }[] }, name: string) {
  const stage = p.stage.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  return stage;
}

/** The CodeBuild project an action's ProjectName references (`${aws_codebuild_project.X.name}`). */
function projectOf(
  stack: PipelineSynth["stacks"][string],
  action: Action,
): Record<string, unknown> {
  const match = /^\$\{aws_codebuild_project\.([\w-]+)\.name\}$/.exec(
    action.configuration?.ProjectName ?? "",
  );
  const project = match ? resources(stack, "aws_codebuild_project")[match[1]] : undefined;
  if (!project) throw new Error(`no project for ${action.name}`);
  return project;
}

function allStatements(stack: PipelineSynth["stacks"][string], type: string): Statement[] {
  return Object.values(resources(stack, type)).flatMap((r) => statementsOf(r.policy));
}

describe("pipeline stack (cross-account example config)", () => {
  let app: PipelineSynth;
  beforeAll(() => {
    app = synthPipeline(CROSS);
  });
  const stack = () => app.stacks.pipeline;
  const api = () => pipelines(stack())["acme-shop-api-delivery"];

  it("creates one V2 pipeline per service, named by pipelineName", () => {
    const all = pipelines(stack());
    expect(Object.keys(all).sort()).toEqual(["acme-shop-api-delivery", "acme-shop-web-delivery"]);
    for (const p of Object.values(all)) {
      expect(p.pipeline_type).toBe("V2");
      expect(p.execution_mode).toBe("SUPERSEDED");
      expect(p.artifact_store).toEqual([
        expect.objectContaining({
          type: "S3",
          encryption_key: expect.objectContaining({ type: "KMS" }),
        }),
      ]);
    }
  });

  it("has the stages in order", () => {
    expect(api().stage.map((s) => s.name)).toEqual([
      "Source",
      "Build",
      "Scan",
      "Deploy-staging",
      "Test-staging",
      "Approval",
      "Deploy-production",
    ]);
  });

  it("gives every action the category, owner, provider, version and configuration keys AWS documents", () => {
    for (const p of Object.values(pipelines(stack()))) {
      for (const action of p.stage.flatMap((s) => s.action)) {
        expect(action.owner, action.name).toBe("AWS");
        expect(action.version, action.name).toBe("1");
        const keys = Object.keys(action.configuration ?? {}).sort();
        if (action.provider === "CodeBuild") {
          expect(["Build", "Test"]).toContain(action.category);
          expect(keys).toEqual(
            action.name === "ImageDefinitions"
              ? ["ProjectName"]
              : ["EnvironmentVariables", "ProjectName"],
          );
        } else {
          expect(action.category, action.name).toBe(CATEGORY[action.provider]);
          expect(keys, action.name).toEqual(CONFIG_KEYS[action.provider]);
        }
      }
    }
  });

  it("configures the sources: ECR tag and CodeCommit branch without polling", () => {
    const [image, config] = api().stage[0].action;
    expect(image.configuration).toEqual({ RepositoryName: "acme-shop/api", ImageTag: "release" });
    expect(config.provider).toBe("CodeCommit");
    expect(config.configuration).toMatchObject({
      BranchName: "main",
      PollForSourceChanges: "false",
      OutputArtifactFormat: "CODE_ZIP",
    });
    // The repository is the ecr stack's (it must exist, with its branch, before the pipeline).
    expect(resources(stack(), "aws_codecommit_repository")).toEqual({});
    expect(config.configuration?.RepositoryName).toBe("acme-shop-deploy-config");
  });

  it("connects every input artifact to an earlier action's output", () => {
    for (const p of Object.values(pipelines(stack()))) {
      const produced = new Set<string>();
      const consumed = new Set<string>();
      for (const stage of p.stage) {
        const outputs: string[] = [];
        for (const action of stage.action) {
          for (const input of action.input_artifacts ?? []) {
            expect(produced.has(input), `${stage.name}/${action.name} reads ${input}`).toBe(true);
            consumed.add(input);
          }
          outputs.push(...(action.output_artifacts ?? []));
        }
        for (const out of outputs) {
          expect(produced.has(out), `${out} is produced twice`).toBe(false);
          produced.add(out);
        }
      }
      // Every artifact is read later, but the scan's SBOM, which is kept for the record.
      expect([...produced].filter((a) => !consumed.has(a))).toEqual(["ScanSbomArtifact"]);
    }
  });

  it("deploys staging and production from the build artifact, with the deployment timeout", () => {
    const deploys = api()
      .stage.flatMap((s) => s.action)
      .filter((a) => a.provider === "ECS");
    expect(deploys.map((d) => d.configuration)).toEqual([
      {
        ClusterName: "acme-shop-staging",
        ServiceName: "acme-shop-staging-api",
        FileName: "imagedefinitions.json",
        DeploymentTimeout: "10",
      },
      {
        ClusterName: "acme-shop-production",
        ServiceName: "acme-shop-production-api",
        FileName: "imagedefinitions.json",
        DeploymentTimeout: "10",
      },
    ]);
    expect(deploys.every((d) => d.input_artifacts?.[0] === "BuildArtifact")).toBe(true);
  });

  it("deploys production through the cross-account role, staging with the pipeline role", () => {
    const [staging, production] = api()
      .stage.flatMap((s) => s.action)
      .filter((a) => a.provider === "ECS");
    expect(staging.role_arn).toBeUndefined();
    expect(production.role_arn).toBe(
      "arn:aws:iam::222222222222:role/acme-shop-production-api-pipeline-deploy",
    );
  });

  it("records every successful deploy: a second action after the ECS deploy in each Deploy stage", () => {
    const deployStages = api().stage.filter((s) => s.name.startsWith("Deploy-"));
    expect(deployStages.map((s) => s.name)).toEqual(["Deploy-staging", "Deploy-production"]);
    const projects = new Set<string>();
    for (const stage of deployStages) {
      const env = stage.name.slice("Deploy-".length);
      expect(stage.action.map((a) => [a.name, a.provider, a.run_order])).toEqual([
        ["Deploy", "ECS", 1],
        ["RecordDeployment", "CodeBuild", 2],
      ]);
      const record = stage.action[1];
      expect(record).toMatchObject({
        category: "Build",
        owner: "AWS",
        version: "1",
        input_artifacts: ["BuildArtifact"],
      });
      expect(record.output_artifacts ?? []).toEqual([]);
      expect(record.namespace).toBeUndefined();
      // Runs in the tooling account, where the repository is, even for cross-account deploys.
      expect(record.role_arn).toBeUndefined();
      expect(JSON.parse(record.configuration?.EnvironmentVariables ?? "[]")).toEqual([
        { name: "ENVIRONMENT", value: env, type: "PLAINTEXT" },
        { name: "IMAGE_DIGEST", value: "#{Build.IMAGE_DIGEST}", type: "PLAINTEXT" },
        { name: "EXECUTION_ID", value: "#{codepipeline.PipelineExecutionId}", type: "PLAINTEXT" },
      ]);
      projects.add(record.configuration?.ProjectName ?? "");
    }
    expect(projects.size).toBe(1); // one project per service, the environment comes per action
    const project = projectOf(stack(), deployStages[0].action[1]) as {
      name: string;
      build_timeout: number;
      environment: { environment_variable: unknown[]; privileged_mode: boolean };
      source: { buildspec: string };
    };
    expect(project.name).toBe("acme-shop-api-record-deployment");
    expect(project.environment.environment_variable).toEqual([
      { name: "REPOSITORY_NAME", value: "acme-shop/api", type: "PLAINTEXT" },
      // A failed record rolls a good deploy back: the CLI retries ECR throttling first.
      { name: "AWS_MAX_ATTEMPTS", value: "10", type: "PLAINTEXT" },
      { name: "AWS_RETRY_MODE", value: "adaptive", type: "PLAINTEXT" },
    ]);
    const spec = parse(project.source.buildspec) as { phases: { build: { commands: string[] } } };
    expect(spec.phases.build.commands.join("\n")).toContain("aws ecr put-image");
  });

  it("lets the record project tag only its own repository, through ECR only", () => {
    const role = Object.entries(resources(stack(), "aws_iam_role")).find(
      ([, r]) => r.name === "acme-shop-api-record-deployment",
    );
    expect(role).toBeDefined();
    const policy = Object.values(resources(stack(), "aws_iam_role_policy")).find(
      (p) => p.role === `\${aws_iam_role.${role?.[0]}.id}`,
    );
    const statements = statementsOf(policy?.policy);
    expect(statements.find((s) => s.Sid === "TagDeployedImage")).toEqual({
      Sid: "TagDeployedImage",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:PutImage"],
      Resource: "arn:aws:ecr:eu-west-1:111111111111:repository/acme-shop/api",
    });
    expect(statements.find((s) => s.Sid === "UseRepositoryKeyThroughEcr")).toEqual({
      Sid: "UseRepositoryKeyThroughEcr",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: ecrOutputs(CROSS).kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" } },
    });
    // Nothing else of ECR, and no ECR action on any other resource.
    const ecr = statements.filter((s) => list(s.Action).some((a) => a.startsWith("ecr:")));
    expect(ecr.map((s) => s.Sid)).toEqual(["TagDeployedImage"]);
    expect(statements.every((s) => !list(s.Resource).includes("*"))).toBe(true);
    // The pipeline role may start exactly its service's projects, the record project included.
    const pipelinePolicy = Object.values(resources(stack(), "aws_iam_role_policy")).find(
      (p) => p.name === "pipeline" && String(p.role).includes("aws_iam_role.api_"),
    );
    const run = statementsOf(pipelinePolicy?.policy).find((s) => s.Sid === "RunBuilds");
    expect(list(run?.Resource)).toHaveLength(4); // build, smoke test, record, release notes
    expect(list(run?.Resource).filter((r) => r.includes("RecordDeployment"))).toHaveLength(1);
    expect(list(run?.Resource).every((r) => /^\$\{aws_codebuild_project\.api_/.test(r))).toBe(true);
  });

  it("smoke-tests staging from the config artifact against the staging URL", () => {
    const test = stageOf(api(), "Test-staging").action[0];
    expect(test.input_artifacts).toEqual(["ConfigArtifact"]);
    expect(JSON.parse(test.configuration?.EnvironmentVariables ?? "[]")).toEqual([
      { name: "IMAGE_DIGEST", value: "#{Build.IMAGE_DIGEST}", type: "PLAINTEXT" },
    ]);
    const project = projectOf(stack(), test) as {
      name: string;
      environment: { environment_variable: unknown[] };
    };
    expect(project.name).toBe("acme-shop-api-smoke-staging");
    expect(project.environment.environment_variable).toContainEqual({
      name: "BASE_URL",
      value: "https://api.staging.acme-shop.example.com",
      type: "PLAINTEXT",
    });
  });

  it("gates production with a manual approval: topic, digest and commit, the change, timeout", () => {
    const [notes, approval] = stageOf(api(), "Approval").action as Action[];
    expect(notes).toMatchObject({ name: "ReleaseNotes", namespace: "Release", run_order: 1 });
    expect(approval.run_order).toBe(2);
    expect(approval).toMatchObject({ name: "Approve", category: "Approval", provider: "Manual" });
    expect(approval.configuration?.NotificationArn).toMatch(
      /^\$\{aws_sns_topic\.Approvals.*\.arn\}$/,
    );
    expect(approval.configuration?.CustomData).toContain("#{Build.IMAGE_DIGEST}");
    expect(approval.configuration?.CustomData).toContain("#{Build.IMAGE_COMMIT}");
    expect(approval.configuration?.CustomData).toContain("#{Release.CHANGE_SUMMARY}");
    expect(approval.configuration?.CustomData).toContain("critical <= 0");
    expect(approval.configuration?.CustomData.length).toBeLessThanOrEqual(500);
    expect(approval.configuration?.ExternalEntityLink).toBe("#{Release.CHANGE_LINK}");
    expect(JSON.parse(notes.configuration?.EnvironmentVariables ?? "[]")).toContainEqual({
      name: "TESTED_URL",
      value: "https://api.staging.acme-shop.example.com",
      type: "PLAINTEXT",
    });
    expect(approval.timeout_in_minutes).toBe(1440);
    const build = api().stage[1].action[0];
    expect(build.namespace).toBe("Build");
  });

  it("exports the variables the approval reads from the build's buildspec", () => {
    const build = projectOf(stack(), api().stage[1].action[0]) as { source: { buildspec: string } };
    const spec = parse(build.source.buildspec) as { env: { "exported-variables": string[] } };
    expect(spec.env["exported-variables"]).toEqual(["IMAGE_DIGEST", "IMAGE_URI", "IMAGE_COMMIT"]);
  });

  it("runs the synthesized build project's buildspec against a sample imageDetail.json", () => {
    const build = projectOf(stack(), api().stage[1].action[0]) as { source: { buildspec: string } };
    const spec = parse(build.source.buildspec) as { phases: { build: { commands: string[] } } };
    const digest = `sha256:${"0f".repeat(32)}`;
    const repo = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/acme-shop/api";
    const { run, dir } = runBuildPhase(spec.phases.build.commands, { repo, digest });
    try {
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, "imagedefinitions.json"), "utf8"))).toEqual([
        { name: "api", imageUri: `${repo}@${digest}` },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("builds unprivileged, encrypted, with KMS-encrypted log groups that expire", () => {
    const projects = Object.values(resources(stack(), "aws_codebuild_project"));
    // (imagedefinitions + smoke-staging + record + release notes) x 2 services
    expect(projects).toHaveLength(8);
    for (const p of projects as {
      environment: { privileged_mode: boolean };
      encryption_key: string;
    }[]) {
      expect(p.environment.privileged_mode).toBe(false);
      expect(p.encryption_key).toMatch(/aws_kms_key\.Key_/);
    }
    const groups = Object.values(resources(stack(), "aws_cloudwatch_log_group"));
    for (const g of groups) {
      expect(g.retention_in_days).toBe(365);
      expect(g.kms_key_id).toMatch(/aws_kms_key\.Key_/);
    }
    // The bakes' and scans' logs go to a group per pipeline that Terraform owns (else CodePipeline
    // would create it on first use: unencrypted, kept forever).
    expect(
      groups.map((g) => g.name).filter((n) => String(n).startsWith("/aws/codepipeline/")),
    ).toEqual([
      "/aws/codepipeline/acme-shop-api-delivery",
      "/aws/codepipeline/acme-shop-web-delivery",
    ]);
  });

  it("starts pipelines from EventBridge: image push and config branch, through a start-only role", () => {
    const rules = Object.values(resources(stack(), "aws_cloudwatch_event_rule")).map(
      (r) => JSON.parse(r.event_pattern as string) as Record<string, unknown>,
    );
    expect(rules).toContainEqual({
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Action"],
      detail: {
        "action-type": ["PUSH"],
        result: ["SUCCESS"],
        "repository-name": ["acme-shop/api"],
        "image-tag": ["release"],
      },
    });
    expect(rules).toContainEqual(
      expect.objectContaining({
        source: ["aws.codecommit"],
        "detail-type": ["CodeCommit Repository State Change"],
        detail: expect.objectContaining({ referenceType: ["branch"], referenceName: ["main"] }),
      }),
    );
    expect(Object.keys(resources(stack(), "aws_cloudwatch_event_target"))).toHaveLength(4);
    const eventsPolicies = Object.values(resources(stack(), "aws_iam_role_policy")).filter(
      (p) => p.name === "start-pipeline",
    );
    expect(eventsPolicies).toHaveLength(2);
    for (const p of eventsPolicies) {
      const [only] = statementsOf(p.policy);
      expect(statementsOf(p.policy)).toHaveLength(1);
      expect(only.Action).toBe("codepipeline:StartPipelineExecution");
      expect(only.Resource).toMatch(/^\$\{aws_codepipeline\..*\.arn\}$/);
    }
  });

  it("encrypts the approval topic with the pipeline key and subscribes every approver by email", () => {
    expect(Object.values(resources(stack(), "aws_sns_topic"))).toEqual([
      expect.objectContaining({ kms_master_key_id: expect.stringMatching(/aws_kms_key\.Key_/) }),
    ]);
    const subs = Object.values(resources(stack(), "aws_sns_topic_subscription"));
    expect(subs.map((s) => [s.protocol, s.endpoint]).sort()).toEqual([
      ["email", "cto@acme-shop.example.com"],
      ["email", "release-admin@acme-shop.example.com"],
    ]);
    const topicPolicy = allStatements(stack(), "aws_sns_topic_policy");
    expect(topicPolicy).toContainEqual(
      expect.objectContaining({
        Principal: { Service: ["codestar-notifications.amazonaws.com"] },
        Action: "sns:Publish",
      }),
    );
    const key = statementsOf(Object.values(resources(stack(), "aws_kms_key"))[0].policy);
    expect(key).toContainEqual(
      expect.objectContaining({ Principal: { Service: "codestar-notifications.amazonaws.com" } }),
    );
  });

  it("notifies the topic on failure, approval needed and success", () => {
    const rules = Object.values(resources(stack(), "aws_codestarnotifications_notification_rule"));
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect([...(r.event_type_ids as string[])].sort()).toEqual([
        "codepipeline-pipeline-manual-approval-needed",
        "codepipeline-pipeline-pipeline-execution-failed",
        "codepipeline-pipeline-pipeline-execution-succeeded",
      ]);
      expect(r.target).toEqual([
        { address: expect.stringMatching(/aws_sns_topic\.Approvals/), type: "SNS" },
      ]);
      // Created after the topic policy that lets CodeStar Notifications publish.
      expect(r.depends_on).toEqual([expect.stringMatching(/^aws_sns_topic_policy\.Approvals_/)]);
    }
  });

  it("gives approvers only PutApprovalResult on the approval actions and read on the pipelines", () => {
    const [policy] = Object.values(resources(stack(), "aws_iam_policy"));
    const statements = statementsOf(policy.policy);
    expect(statements).toEqual([
      {
        Sid: "ApproveReleases",
        Effect: "Allow",
        Action: "codepipeline:PutApprovalResult",
        Resource: [
          "arn:aws:codepipeline:eu-west-1:111111111111:acme-shop-api-delivery/Approval/Approve",
          "arn:aws:codepipeline:eu-west-1:111111111111:acme-shop-web-delivery/Approval/Approve",
        ],
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
        Resource: [
          "arn:aws:codepipeline:eu-west-1:111111111111:acme-shop-api-delivery",
          "arn:aws:codepipeline:eu-west-1:111111111111:acme-shop-web-delivery",
        ],
      },
    ]);
  });

  it("lets the pipeline role pass only the service's own task and execution roles, to ECS tasks", () => {
    const statements = [
      ...allStatements(stack(), "aws_iam_role_policy"),
      ...allStatements(app.stacks["pipeline-access-production"], "aws_iam_role_policy"),
    ];
    const passRole = statements.filter((s) => list(s.Action).some((a) => a.startsWith("iam:Pass")));
    expect(passRole.length).toBeGreaterThan(0);
    for (const s of passRole) {
      expect(list(s.Action)).toEqual(["iam:PassRole"]);
      expect(s.Condition).toEqual({
        StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
      });
      expect(list(s.Resource)).toHaveLength(2);
      for (const r of list(s.Resource))
        expect(r).toMatch(/^arn:aws:iam::\d{12}:role\/.+-(task|execution)$/);
    }
    // The api pipeline role passes the api roles in staging; it deploys production cross-account.
    const apiRole = Object.values(resources(stack(), "aws_iam_role_policy")).find(
      (p) => p.name === "pipeline" && (p.policy as string).includes("acme-shop-staging-api-task"),
    );
    const apiPass = statementsOf(apiRole?.policy).filter((s) => s.Action === "iam:PassRole");
    expect(apiPass.map((s) => s.Resource)).toEqual([
      [
        "arn:aws:iam::111111111111:role/acme-shop-staging-api-task",
        "arn:aws:iam::111111111111:role/acme-shop-staging-api-execution",
      ],
    ]);
    expect(statementsOf(apiRole?.policy)).toContainEqual(
      expect.objectContaining({
        Action: "sts:AssumeRole",
        Resource: ["arn:aws:iam::222222222222:role/acme-shop-production-api-pipeline-deploy"],
      }),
    );
  });

  it("names resources in every pipeline-role statement except where AWS requires *", () => {
    const wildcard = allStatements(stack(), "aws_iam_role_policy").filter((s) =>
      list(s.Resource).includes("*"),
    );
    for (const s of wildcard) {
      // Amazon Inspector's ScanSbom has no resource-level permissions.
      expect(["DescribeTaskDefinitions", "DeployStagingListTasks", "ScanImages"]).toContain(s.Sid);
    }
  });

  it("grants the production account's deploy roles exactly artifact read and decrypt", () => {
    const roles = [
      "arn:aws:iam::222222222222:role/acme-shop-production-api-pipeline-deploy",
      "arn:aws:iam::222222222222:role/acme-shop-production-web-pipeline-deploy",
    ];
    const bucket = allStatements(stack(), "aws_s3_bucket_policy").find(
      (s) => s.Sid === "CrossAccountDeployRolesReadArtifacts",
    );
    expect(bucket).toEqual({
      Sid: "CrossAccountDeployRolesReadArtifacts",
      Effect: "Allow",
      Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: "arn:aws:s3:::acme-shop-pipeline-artifacts-111111111111/*",
      Condition: { ArnEquals: { "aws:PrincipalArn": roles } },
    });
    const key = statementsOf(Object.values(resources(stack(), "aws_kms_key"))[0].policy).find(
      (s) => s.Sid === "CrossAccountDeployRolesDecryptArtifacts",
    );
    expect(key).toMatchObject({
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Condition: { ArnEquals: { "aws:PrincipalArn": roles } },
    });
  });

  it("creates the deploy roles in the production account, trusting only each service's pipeline role", async () => {
    const access = app.stacks["pipeline-access-production"];
    expect(access).toBeDefined();
    // Applied before the pipeline (CreatePipeline checks its action roles), reading nothing of it.
    expect(app.dependencies.pipeline).toContain("pipeline-access-production");
    expect(app.dependencies["pipeline-access-production"] ?? []).not.toContain("pipeline");
    expect(access.provider?.aws?.[0]).toMatchObject({ allowed_account_ids: ["222222222222"] });
    const roles = Object.fromEntries(
      Object.values(resources(access, "aws_iam_role")).map((r) => [String(r.name), r]),
    );
    expect(Object.keys(roles).sort()).toEqual([
      "acme-shop-production-api-pipeline-deploy",
      "acme-shop-production-web-pipeline-deploy",
    ]);
    const assume = (caller: string, role: string) =>
      isAllowed({
        principal: caller,
        action: "sts:AssumeRole",
        resource: `arn:aws:iam::222222222222:role/${role}`,
        resourceAccount: "222222222222",
        identityPolicies: [
          { Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] },
        ],
        resourcePolicy: JSON.parse(String(roles[role].assume_role_policy)),
      });
    const tooling = "arn:aws:iam::111111111111:role";
    const api = "acme-shop-production-api-pipeline-deploy";
    expect(await assume(`${tooling}/acme-shop-api-pipeline`, api)).toBe(true);
    // Another service's pipeline, another role of the tooling account, a look-alike account.
    expect(await assume(`${tooling}/acme-shop-web-pipeline`, api)).toBe(false);
    expect(await assume(`${tooling}/acme-shop-github-infra-apply`, api)).toBe(false);
    expect(await assume("arn:aws:iam::333333333333:role/acme-shop-api-pipeline", api)).toBe(false);

    const deploy = allStatements(access, "aws_iam_role_policy");
    expect(deploy).toContainEqual(
      expect.objectContaining({
        Action: ["ecs:DescribeServices", "ecs:UpdateService"],
        Resource:
          "arn:aws:ecs:eu-west-1:222222222222:service/acme-shop-production/acme-shop-production-api",
      }),
    );
    expect(deploy).toContainEqual(
      expect.objectContaining({
        Action: "ecs:RegisterTaskDefinition",
        Resource: "arn:aws:ecs:eu-west-1:222222222222:task-definition/acme-shop-production-api:*",
      }),
    );
    const policy = Object.values(resources(access, "aws_iam_role_policy")).find((p) =>
      String(p.role).includes("api-deploy"),
    );
    // Cross-account, as AWS evaluates it: the deploy role's policy and the tooling account's
    // key policy must both allow.
    const keyPolicy = JSON.parse(
      String(Object.values(resources(stack(), "aws_kms_key"))[0].policy),
    ) as PolicyJson;
    const read = (action: string, resource: string, context: Record<string, string[]> = {}) =>
      isAllowed({
        principal: `arn:aws:iam::222222222222:role/${api}`,
        action,
        resource,
        resourceAccount: resource.includes(":kms:") ? "111111111111" : "222222222222",
        identityPolicies: [JSON.parse(String(policy?.policy))],
        ...(resource.includes(":kms:") ? { resourcePolicy: keyPolicy } : {}),
        context,
      });
    const artifacts = "arn:aws:s3:::acme-shop-pipeline-artifacts-111111111111";
    expect(await read("s3:GetObject", `${artifacts}/acme-shop-api-delivery/BuildArtif/x`)).toBe(
      true,
    );
    expect(await read("s3:GetObject", "arn:aws:s3:::another-bucket/x")).toBe(false);
    const key = "arn:aws:kms:eu-west-1:111111111111:key/1234";
    const alias = { "kms:ResourceAliases": ["alias/acme-shop-pipeline"] };
    expect(await read("kms:Decrypt", key, alias)).toBe(true);
    expect(await read("kms:Decrypt", key, { "kms:ResourceAliases": ["alias/other"] })).toBe(false);
  });
});

describe("pipeline stack (single-account config)", () => {
  let app: PipelineSynth;
  beforeAll(() => {
    app = synthPipeline(SINGLE);
  });

  it("creates no cross-account pieces", () => {
    expect(pipelineAccessEnvironments(SINGLE)).toEqual([]);
    expect(Object.keys(app.stacks)).toEqual(["pipeline"]);
    const stack = app.stacks.pipeline;
    const text = JSON.stringify(stack);
    expect(text).not.toContain("222222222222");
    expect(text).not.toContain('sts:AssumeRole","Resource');
    expect(text).not.toContain("CrossAccount");
    for (const p of Object.values(pipelines(stack))) {
      for (const a of p.stage.flatMap((s) => s.action)) expect(a.role_arn).toBeUndefined();
    }
  });

  it("lets the pipeline role deploy both environments itself", () => {
    const role = Object.values(resources(app.stacks.pipeline, "aws_iam_role_policy")).find(
      (p) => p.name === "pipeline" && (p.policy as string).includes("staging-api-task"),
    );
    const sids = statementsOf(role?.policy).map((s) => s.Sid);
    expect(sids).toEqual(
      expect.arrayContaining([
        "DeployStagingPassTaskRoles",
        "DeployProductionPassTaskRoles",
        "DescribeTaskDefinitions",
      ]),
    );
  });
});

describe("pipeline stack (config source options)", () => {
  it("reads an S3 object, triggered by the bucket's EventBridge notifications", () => {
    const config = exampleConfig((c) => {
      c.pipeline.configSource = { type: "s3" };
    });
    const stack = synthPipeline(config).stacks.pipeline;
    const source = pipelines(stack)["acme-shop-api-delivery"].stage[0].action[1];
    expect(source.provider).toBe("S3");
    expect(source.configuration).toEqual({
      S3Bucket: expect.stringMatching(/aws_s3_bucket\.ConfigBucket/),
      S3ObjectKey: "deploy-config.zip",
      PollForSourceChanges: "false",
    });
    expect(Object.values(resources(stack, "aws_s3_bucket_notification"))).toEqual([
      expect.objectContaining({ eventbridge: true }),
    ]);
    const patterns = Object.values(resources(stack, "aws_cloudwatch_event_rule")).map(
      (r) => JSON.parse(r.event_pattern as string) as { source: string[] },
    );
    expect(patterns.filter((p) => p.source[0] === "aws.s3")).toHaveLength(2);
    expect(resources(stack, "aws_codecommit_repository")).toEqual({});
    const approval = stageOf(pipelines(stack)["acme-shop-api-delivery"], "Approval").action[1];
    expect(approval.configuration?.CustomData).toContain("#{Config.VersionId}");
  });

  it("reads GitHub through a CodeConnections connection", () => {
    const arn = "arn:aws:codeconnections:eu-west-1:111111111111:connection/abc-123";
    const config = exampleConfig((c) => {
      c.pipeline.configSource = { type: "github", connectionArn: arn };
    });
    const stack = synthPipeline(config).stacks.pipeline;
    const source = pipelines(stack)["acme-shop-api-delivery"].stage[0].action[1];
    expect(source.configuration).toEqual({
      ConnectionArn: arn,
      FullRepositoryId: "acme-shop/shop-infra",
      BranchName: "main",
      DetectChanges: "false",
      OutputArtifactFormat: "CODE_ZIP",
    });
  });

  it("promotes through three environments: deploy + test each but the last", () => {
    const config = exampleConfig((c) => {
      const staging = structuredClone(c.environments.staging);
      staging.dns.domain = "dev.acme-shop.example.com";
      staging.network.vpcCidr = "10.30.0.0/16";
      c.environments.dev = staging;
      c.pipeline.promotion = ["dev", "staging", "production"];
    });
    const stack = synthPipeline(config).stacks.pipeline;
    const p = pipelines(stack)["acme-shop-api-delivery"];
    expect(p.stage.map((s) => s.name)).toEqual([
      "Source",
      "Build",
      "Scan",
      "Deploy-dev",
      "Test-dev",
      "Deploy-staging",
      "Test-staging",
      "Approval",
      "Deploy-production",
    ]);
    const records = p.stage.flatMap((s) => s.action).filter((a) => a.name === "RecordDeployment");
    expect(
      records.map((a) => JSON.parse(a.configuration?.EnvironmentVariables ?? "[]")[0].value),
    ).toEqual(["dev", "staging", "production"]);
  });
});

describe("pipeline stack input checks", () => {
  it("names every missing input at once", () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "pipeline-bad-")) });
    expect(
      () =>
        new PipelineStack(app, "pipeline", {
          config: CROSS,
          ecr: { repositories: {}, kmsKeyArn: "arn" },
          services: { staging: servicesOutputs(CROSS, "staging") },
        }),
    ).toThrow(/no services outputs for environment production[\s\S]*no repository for api/);
  });

  it("refuses a promotion environment in another region, in validation (before any construct)", () => {
    const problems = configProblems((c) => {
      const envs = c.environments as Record<
        string,
        { region: string; network: { availabilityZones: string[] } }
      >;
      envs.production.region = "us-east-1";
      envs.production.network.availabilityZones = ["us-east-1a", "us-east-1b"];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /environments\.production\.region: "us-east-1".*the pipeline runs in eu-west-1 \(environments\.staging\.region\).*use eu-west-1/,
      ),
    ]);
  });
});

describe("pipeline stacks wired into the app", () => {
  it("read ecr and services outputs, and come after the access stacks whose roles they name", () => {
    const app = synthApp(CROSS);
    // CreatePipeline checks that the pipeline role can assume every action role: the access
    // stack (the production deploy role) is applied first and reads nothing of the pipeline.
    expect(app.dependencies.pipeline).toEqual(
      expect.arrayContaining([
        "ecr",
        "services-staging",
        "services-production",
        "pipeline-access-production",
      ]),
    );
    expect(app.dependencies["pipeline-access-production"]).not.toContain("pipeline");
    const accessRemote = Object.keys(
      app.stacks["pipeline-access-production"].data?.terraform_remote_state ?? {},
    );
    expect(accessRemote.some((r) => r.endsWith("-pipeline"))).toBe(false);
    const remote = Object.keys(app.stacks.pipeline.data?.terraform_remote_state ?? {});
    expect(remote.some((r) => r.includes("services-staging"))).toBe(true);
  });

  it("creates no access stack when every environment is in the tooling account", () => {
    const app = synthApp(SINGLE);
    expect(Object.keys(app.stacks)).toContain("pipeline");
    expect(Object.keys(app.stacks).filter((s) => s.startsWith("pipeline-access"))).toEqual([]);
  });
});
