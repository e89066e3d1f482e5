import type { PlatformConfigInput } from "../../src/config";
import { exampleConfig } from "../helpers/config";
import { describeTerraformTier } from "../helpers/terraform-suite";

/** A third environment added by config alone: its own VPC range, default NAT and capacity. */
function addQaEnvironment(input: PlatformConfigInput): void {
  input.environments.qa = {
    accountId: "111111111111",
    region: "eu-west-1",
    network: { vpcCidr: "10.30.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] },
    dns: { hostedZoneId: "Z0QAZONE00000000001", domain: "qa.acme-shop.example.com" },
    ecsExec: true,
  };
}

describeTerraformTier("three environments (qa added by config only)", () =>
  exampleConfig(addQaEnvironment),
);
