import { addressOf, type ResourceRef } from "../../synth/resolve";
import { finding, type RehearsalFinding, type RehearsalRule, type StepContext } from "../types";

interface SourceAction {
  readonly name: string;
  readonly category: string;
  readonly provider: string;
  readonly configuration?: Record<string, string>;
}

/**
 * CodePipeline starts a run as soon as a pipeline is created. Every source action must then find
 * content, or the run (and each later one, until someone provides it) fails at Source: the ECR
 * source needs the image tag pushed; CodeCommit the branch; S3 the object (in a versioned
 * bucket); a CodeConnections source an AVAILABLE connection (it stays PENDING until someone
 * completes the handshake) and the branch.
 */
export const PIPELINE_SOURCES: RehearsalRule = {
  id: "PIPELINE_SOURCES",
  models:
    "every source action has content when the pipeline is created (its first run starts then)",
  docs: [
    "AWS CodePipeline User Guide: Start a pipeline in CodePipeline (a pipeline starts when it is created)",
    "AWS CodePipeline User Guide: Amazon ECR source action reference",
    "AWS CodePipeline User Guide: CodeCommit source action reference",
    "AWS CodePipeline User Guide: Amazon S3 source action reference",
    "Developer Tools console User Guide: Update a pending connection",
  ],
  check(context: StepContext): RehearsalFinding[] {
    const { app, step } = context;
    const findings: RehearsalFinding[] = [];
    const provided = context.provided;
    for (const pipeline of app.resources(step.stack, "aws_codepipeline")) {
      const stages = (pipeline.config.stage as { action?: SourceAction[] }[] | undefined) ?? [];
      const sources = stages.flatMap((s) => s.action ?? []).filter((a) => a.category === "Source");
      for (const action of sources) {
        const c = Object.fromEntries(
          Object.entries(action.configuration ?? {}).map(([k, v]) => [
            k,
            app.resolve(step.stack, String(v)),
          ]),
        );
        const missing = sourceMissing(context, pipeline, action.provider, c, provided);
        if (missing) {
          findings.push(
            finding(
              PIPELINE_SOURCES,
              step.stack,
              addressOf(pipeline),
              `source ${action.name} (${action.provider}): ${missing.effect}; the first run, started when the pipeline is created, fails at Source`,
              missing.fix,
            ),
          );
        }
      }
    }
    return findings;
  },
};

function sourceMissing(
  context: StepContext,
  pipeline: ResourceRef,
  provider: string,
  c: Record<string, string>,
  provided: StepContext["provided"],
): { effect: string; fix: string } | undefined {
  const { app } = context;
  switch (provider) {
    case "ECR": {
      const account = app.placement(pipeline).accountId;
      const ok = provided.some(
        (p) =>
          p.kind === "image" &&
          p.accountId === account &&
          p.repository === c.RepositoryName &&
          p.tag === (c.ImageTag ?? "latest"),
      );
      return ok
        ? undefined
        : {
            effect: `${c.RepositoryName}:${c.ImageTag ?? "latest"} is not published before the pipeline exists`,
            fix: "publish the first image in a runbook step before the pipeline stack",
          };
    }
    case "CodeCommit": {
      const ok = provided.some(
        (p) =>
          p.kind === "codecommit-branch" &&
          p.repository === c.RepositoryName &&
          p.branch === c.BranchName,
      );
      return ok
        ? undefined
        : {
            effect: `repository ${c.RepositoryName} has no branch ${c.BranchName} (Terraform creates it empty)`,
            fix: "create the repository in an earlier stack and have the operator create the branch before the pipeline stack",
          };
    }
    case "S3": {
      const object = app.stackIds
        .flatMap((id) => app.resources(id, "aws_s3_object"))
        .find(
          (o) =>
            app.resolve(o.stack, String(o.config.bucket)) === c.S3Bucket &&
            app.resolve(o.stack, String(o.config.key)) === c.S3ObjectKey,
        );
      return object && context.existsFor(object, pipeline)
        ? undefined
        : {
            effect: `s3://${c.S3Bucket}/${c.S3ObjectKey} does not exist when the pipeline is created`,
            fix: "seed the object (aws_s3_object) and make the pipeline depend on it",
          };
    }
    case "CodeStarSourceConnection": {
      const ok = provided.some(
        (p) =>
          p.kind === "connection-ready" &&
          p.connectionArn === c.ConnectionArn &&
          p.repository === c.FullRepositoryId &&
          p.branch === c.BranchName,
      );
      return ok
        ? undefined
        : {
            effect: `connection ${c.ConnectionArn} is PENDING until its handshake is completed, and ${c.FullRepositoryId}@${c.BranchName} must exist`,
            fix: "have the operator complete the handshake and commit the branch before the pipeline stack",
          };
    }
    default:
      return undefined;
  }
}
