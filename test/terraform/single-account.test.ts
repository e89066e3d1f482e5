import { describeTerraformTier } from "../helpers/terraform-suite";
import { exampleConfig } from "../helpers/config";

/*
 * The example config with production moved into the staging account (111111111111): the pipeline
 * deploys both environments with its own role, and no pipeline-access stack or cross-account
 * grant exists. Only the stacks whose output differs from the example config are planned.
 */
describeTerraformTier(
  "single-account config (staging and production in 111111111111)",
  () =>
    exampleConfig((c) => {
      c.environments.production.accountId = "111111111111";
    }),
  { stacks: ["state", "ecr", "github-oidc", "pipeline"] },
);

// The S3 config source: the pipeline stack creates the bucket and seeds deploy-config.zip from
// the synthesized asset before the pipeline exists (its first run reads it).
describeTerraformTier(
  "S3 config source (seeded bucket)",
  () =>
    exampleConfig((c) => {
      c.pipeline.configSource = { type: "s3" } as never;
    }),
  { stacks: ["ecr", "pipeline"] },
);
