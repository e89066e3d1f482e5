import { exampleConfig, hcpRemoteConfig } from "../helpers/config";
import { describeTerraformTier } from "../helpers/terraform-suite";
import { threeByThreeConfig } from "../helpers/three-by-three";

/*
 * Every configuration the project ships or promises, through real terraform init and an offline
 * plan, in one run. Variants of the example config plan only the stacks whose output differs.
 */
describeTerraformTier([
  {
    label: "example config (staging and production in separate accounts)",
    key: "example",
    makeConfig: () => exampleConfig(),
  },
  {
    // The pipeline deploys both environments with its own role: no pipeline-access stack and no
    // cross-account grant.
    label: "single-account config (staging and production in 111111111111)",
    key: "single",
    makeConfig: () =>
      exampleConfig((c) => {
        c.environments.production.accountId = "111111111111";
      }),
    stacks: ["state", "ecr", "github-oidc", "pipeline"],
  },
  {
    // The pipeline stack creates the bucket and seeds deploy-config.zip (carried in the stack)
    // before the pipeline exists (its first run reads it).
    label: "S3 config source (seeded bucket)",
    key: "s3source",
    makeConfig: () =>
      exampleConfig((c) => {
        c.pipeline.configSource = { type: "s3" } as never;
      }),
    stacks: ["ecr", "pipeline"],
  },
  {
    // Every stack in its own named workspace, run remotely with HCP dynamic credentials;
    // cross-stack values come from the producer workspace's outputs (served offline from local
    // state files). Planned: both OIDC stacks (the HCP provider and run roles) and the consumers
    // with the most cross-stack inputs. hcp-workspaces needs the tfe provider (no local mirror).
    label: "HCP Terraform workspaces, remote execution",
    key: "hcp",
    makeConfig: () => hcpRemoteConfig(),
    stacks: [
      "hcp-workspaces",
      "github-oidc",
      "github-oidc-222222222222",
      "services-production",
      "pipeline",
      "pipeline-access-production",
    ],
  },
  {
    // 3 services x 3 environments (staging, production, qa).
    label: "3 services x 3 environments",
    key: "three",
    makeConfig: () => threeByThreeConfig(),
  },
]);
