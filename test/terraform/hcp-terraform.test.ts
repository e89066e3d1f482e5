import { describeTerraformTier } from "../helpers/terraform-suite";
import { exampleConfig } from "../helpers/config";

// HCP Terraform mode: every stack in its own named workspace; cross-stack values are read from the
// producer workspace's outputs. The offline tier serves those outputs from local state files.
describeTerraformTier("HCP Terraform workspaces", () =>
  exampleConfig((c) => {
    c.state = { backend: "hcp", organization: "acme", workspacePrefix: "acme-shop-" };
  }),
);
