import { block, isSet, resources } from "../terraform";
import type { GuardRule } from "../types";

export const CODEBUILD_LOGS: GuardRule = {
  id: "CODEBUILD_LOGS",
  severity: "error",
  rationale:
    "Build logs go to a log group this code manages (retention, KMS), not an implicit one.",
  check(stack) {
    return resources(stack, "aws_codebuild_project")
      .filter((p) => {
        const cfg = block(p.block.logs_config);
        const cw = block(cfg?.cloudwatch_logs);
        const s3 = block(cfg?.s3_logs);
        const cloudwatch = cw !== undefined && cw.status !== "DISABLED" && isSet(cw.group_name);
        const bucket = s3 !== undefined && s3.status === "ENABLED" && isSet(s3.location);
        return !cloudwatch && !bucket;
      })
      .map((p) => ({
        address: p.address,
        message:
          "project has no logs_config naming a log group; set logs_config.cloudwatch_logs { group_name = <managed log group> }",
      }));
  },
};
