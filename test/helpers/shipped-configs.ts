import type { PlatformConfig } from "../../src/config";
import { exampleConfig, hcpRemoteConfig } from "./config";
import { threeByThreeConfig } from "./three-by-three";

/** Every configuration the project ships or plans, by name: what the rehearsal and guard check. */
export const SHIPPED_CONFIGS: Record<string, () => PlatformConfig> = {
  "example (two accounts)": () => exampleConfig(),
  "single account": () =>
    exampleConfig((c) => {
      c.environments.production.accountId = "111111111111";
    }),
  "HCP Terraform": () =>
    exampleConfig((c) => {
      c.state = { backend: "hcp", organization: "acme", workspacePrefix: "acme-shop-" };
    }),
  "HCP Terraform, remote execution": () => hcpRemoteConfig(),
  "3 services x 3 environments": () => threeByThreeConfig(),
  "S3 config source": () =>
    exampleConfig((c) => {
      c.pipeline.configSource = { type: "s3" } as never;
    }),
  "CodeConnections config source": () =>
    exampleConfig((c) => {
      c.pipeline.configSource = {
        type: "github",
        connectionArn: "arn:aws:codeconnections:eu-west-1:111111111111:connection/abc-123",
      } as never;
    }),
};
