import { describeTerraformTier } from "../helpers/terraform-suite";
import { exampleConfig } from "../helpers/config";

/*
 * The example config with production moved into the staging account (111111111111): the pipeline
 * deploys both environments with its own role, and no pipeline-access stack or cross-account
 * grant exists. Runtime on the shared 2-core machine: every runnable stack (8) about 165 s;
 * `TF_TIER_STACKS=pipeline npx vitest run test/terraform/single-account` about 16 s.
 */
describeTerraformTier("single-account config (staging and production in 111111111111)", () =>
  exampleConfig((c) => {
    c.environments.production.accountId = "111111111111";
  }),
);
