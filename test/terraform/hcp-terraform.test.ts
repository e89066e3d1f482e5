import { describeTerraformTier } from "../helpers/terraform-suite";
import { exampleConfig } from "../helpers/config";

// HCP Terraform mode: every stack in its own named workspace; cross-stack values are read from the
// producer workspace's outputs (served offline from local state files). The consumers with the
// most cross-stack inputs are planned; producers are the same as with the S3 backend.
describeTerraformTier(
  "HCP Terraform workspaces",
  () =>
    exampleConfig((c) => {
      c.state = { backend: "hcp", organization: "acme", workspacePrefix: "acme-shop-" };
    }),
  { stacks: ["github-oidc", "services-production", "pipeline", "pipeline-access-production"] },
);
