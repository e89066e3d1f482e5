import { describeTerraformTier } from "../helpers/terraform-suite";
import { exampleConfig } from "../helpers/config";

describeTerraformTier("example config (staging and production in separate accounts)", () =>
  exampleConfig(),
);
