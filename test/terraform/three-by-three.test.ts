import { describeTerraformTier } from "../helpers/terraform-suite";
import { threeByThreeConfig } from "../helpers/three-by-three";

// 3 services x 3 environments (staging, production, qa). Locally, narrow it with
// TF_TIER_STACKS=services-qa (about 10 s per services stack on 2 cores).
describeTerraformTier("3 services x 3 environments", () => threeByThreeConfig());
