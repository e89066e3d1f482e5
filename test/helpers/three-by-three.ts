import type { PlatformConfig, PlatformConfigInput } from "../../src/config";
import { exampleConfig } from "./config";

/**
 * The example config grown to 3 services x 3 environments: a `worker` service (ARM64, with a
 * secret and a task role policy, deployed blue/green) and a `qa` environment in its own
 * non-overlapping VPC whose blue/green test listener the office range may reach.
 */
export function threeByThreeInput(input: PlatformConfigInput): void {
  input.services.push({
    name: "worker",
    subdomain: "jobs",
    containerPort: 9000,
    healthCheckPath: "/ready",
    cpu: 512,
    memory: 1024,
    architecture: "ARM64",
    secrets: ["QUEUE_PASSWORD"],
    environment: { QUEUE_NAME: "jobs" },
    taskRolePolicyArns: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"],
    healthCheckCommand: "wget -q -O /dev/null http://localhost:9000/ready || exit 1",
    deployment: "blue-green",
    blueGreen: { terminationWaitMinutes: 15 },
  });
  input.environments.qa = {
    accountId: "111111111111",
    region: "eu-west-1",
    // NAT left to the default of an environment that is not production's: one gateway.
    network: { vpcCidr: "10.30.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] },
    dns: { hostedZoneId: "Z0QAZONE00000000001", domain: "qa.acme-shop.example.com" },
    loadBalancer: { testListener: { port: 9443, ingressCidrs: ["198.51.100.0/24"] } },
    ecsExec: true,
    logRetentionDays: 7,
    alarmEmails: ["qa-oncall@acme-shop.example.com"],
    services: { worker: { cpu: 256, memory: 512, environment: { QUEUE_NAME: "jobs-qa" } } },
    frontend: { branch: "qa", subdomain: "web" },
  };
  const production = input.environments.production;
  production.services = {
    ...production.services,
    worker: { desiredCount: 2, minCount: 2, maxCount: 8 },
  };
}

export function threeByThreeConfig(): PlatformConfig {
  return exampleConfig(threeByThreeInput);
}
