import type { PlatformConfig, PlatformConfigInput } from "../../src/config";
import { exampleConfig } from "./config";

/**
 * The example with every setting below changed at once. Each one is read by its own tests (named
 * next to it) and changes resources none of the others touch, so one synth serves them all: a
 * synth costs ~0.3 s, and these were eleven. A setting that changes what another one's tests
 * read has its own config instead.
 */
function vary(input: PlatformConfigInput): void {
  const { staging, production } = input.environments;
  // network.test.ts: NAT left to the defaults, staging's ALB open to one range only, an explicit
  // capacity, ECS Exec on and no VPC endpoints (all in staging's network and services).
  delete staging.network.natGateways;
  delete production.network.natGateways;
  staging.loadBalancer = { ingressCidrs: ["203.0.113.0/24"] };
  staging.capacity = { fargateBase: 1, fargateWeight: 0, fargateSpotWeight: 1 };
  staging.ecsExec = true;
  staging.network.vpcEndpoints = false;
  // state.test.ts: the state stack's own state moved into the bucket.
  if (input.state?.backend === "s3") input.state.stateStackBackend = "s3";
  // github-oidc.test.ts: a permissions boundary on every role, and immutable OIDC subjects.
  input.github.permissionsBoundaryArn = "arn:aws:iam::111111111111:policy/ci/github-boundary";
  input.github.subjectFormat = "immutable";
  input.github.ids = { owner: 1001, appRepository: 2002, infraRepository: 3003 };
  // github-repos.test.ts: applies gated by an environment of their own, reviewed by a user (not
  // a team).
  input.github.infraApplyEnvironment = "infra-apply";
  input.github.applyReviewers = { users: ["octocat"] } as never;
  // s3-access-logs.test.ts: no static assets bucket.
  if (input.frontend) input.frontend.staticAssetsBucket = false;
  // terraform-literal.test.ts: config text that Terraform would read as references or directives.
  input.services[0].healthCheckCommand = 'test -n "${HOME}" && echo %{x} || exit 1';
  input.services[0].environment = { GREETING: "hello ${USER}" };
  if (input.frontend) {
    input.frontend.buildSpec =
      "version: 1\nfrontend:\n  phases:\n    build:\n      commands: [echo ${BRANCH}]\n";
  }
}

/** The example with the settings above changed (a fresh copy each call). */
export function variedConfig(): PlatformConfig {
  return exampleConfig(vary);
}
