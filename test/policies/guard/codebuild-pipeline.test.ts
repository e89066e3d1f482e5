import { describe, expect, it } from "vitest";
import { flagged, stackOf } from "./helpers";

describe("CodeBuild and CodePipeline rules", () => {
  const stack = stackOf({
    aws_codebuild_project: {
      good: {
        encryption_key: "${aws_kms_key.k.arn}",
        environment: { compute_type: "BUILD_GENERAL1_SMALL", privileged_mode: false },
        logs_config: { cloudwatch_logs: { group_name: "${aws_cloudwatch_log_group.b.name}" } },
      },
      bad: {
        environment: { compute_type: "BUILD_GENERAL1_SMALL", privileged_mode: true },
        logs_config: { cloudwatch_logs: { status: "DISABLED" } },
      },
    },
    aws_codepipeline: {
      good: {
        artifact_store: [
          {
            location: "b",
            type: "S3",
            encryption_key: { id: "${aws_kms_key.k.arn}", type: "KMS" },
          },
        ],
      },
      bad: { artifact_store: [{ location: "b", type: "S3" }] },
    },
  });
  it.each([
    ["CODEBUILD_ENCRYPTED", ["aws_codebuild_project.bad"]],
    ["CODEBUILD_LOGS", ["aws_codebuild_project.bad"]],
    ["CODEBUILD_NOT_PRIVILEGED", ["aws_codebuild_project.bad"]],
    ["CODEPIPELINE_ARTIFACTS_ENCRYPTED", ["aws_codepipeline.bad"]],
  ])("%s flags only the non-compliant resource", (rule, expected) => {
    expect(flagged(rule, stack)).toEqual(expected);
  });
});
