import { App } from "cdktf";
import type { PlatformConfig } from "./config";
import { EcrStack } from "./stacks/ecr-stack";
import { GithubOidcStack } from "./stacks/github-oidc-stack";
import { GithubReposStack } from "./stacks/github-repos-stack";
import { NetworkStack } from "./stacks/network-stack";
import { PipelineAccessStack, pipelineAccessEnvironments } from "./stacks/pipeline-access-stack";
import { PipelineStack } from "./stacks/pipeline-stack";
import { ServicesStack } from "./stacks/services-stack";
import { STACK_IDS } from "./stacks/stack-ids";
import { StateStack } from "./stacks/state-stack";

export interface BuildAppOptions {
  /** Where `app.synth()` writes. @default - cdktf's default (CDKTF_OUTDIR or cdktf.out) */
  readonly outdir?: string;
}

export { STACK_IDS } from "./stacks/stack-ids";

/**
 * Every stack of the platform, created from config. Stacks hand each other values as typed
 * constructor inputs; cdktf turns those into remote-state references at synth.
 */
export function buildApp(config: PlatformConfig, options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  if (config.state.backend === "s3") {
    new StateStack(app, STACK_IDS.state, config);
  }
  // Consumers take producers' `outputs`: the pipeline `EcrStack#outputs`, each services stack
  // its environment's `networks[env].outputs`.
  const ecr = new EcrStack(app, STACK_IDS.ecr, config);
  const githubOidc = new GithubOidcStack(app, STACK_IDS.githubOidc, { config, ecr: ecr.outputs });
  new GithubReposStack(app, STACK_IDS.githubRepos, {
    config,
    oidc: githubOidc.outputs,
    ecr: ecr.outputs,
  });
  const networks: Record<string, NetworkStack> = {};
  for (const environment of Object.keys(config.environments)) {
    networks[environment] = new NetworkStack(app, STACK_IDS.network(environment), {
      config,
      environment,
    });
  }
  const services: Record<string, ServicesStack> = {};
  for (const environment of Object.keys(config.environments)) {
    services[environment] = new ServicesStack(app, STACK_IDS.services(environment), {
      config,
      environment,
      network: networks[environment].outputs,
      ecr: ecr.outputs,
    });
  }
  const pipeline = new PipelineStack(app, STACK_IDS.pipeline, {
    config,
    ecr: ecr.outputs,
    services: Object.fromEntries(
      config.pipeline.promotion.map((env) => [env, services[env].outputs]),
    ),
  });
  // Deploy roles in environments outside the tooling account (none in a single-account setup).
  for (const environment of pipelineAccessEnvironments(config)) {
    new PipelineAccessStack(app, STACK_IDS.pipelineAccess(environment), {
      config,
      environment,
      pipeline: pipeline.outputs,
      services: services[environment].outputs,
    });
  }
  return app;
}
