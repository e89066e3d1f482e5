import { App, TerraformStack } from "cdktf";
import type { PlatformConfig } from "./config";
import { EcrStack } from "./stacks/ecr-stack";
import { platformModel } from "./model/platform-model";
import { GithubOidcStack } from "./stacks/github-oidc-stack";
import { GithubReposStack } from "./stacks/github-repos-stack";
import { HcpWorkspacesStack } from "./stacks/hcp-workspaces-stack";
import { NetworkStack } from "./stacks/network-stack";
import { PipelineAccessStack } from "./stacks/pipeline-access-stack";
import { PipelineStack } from "./stacks/pipeline-stack";
import { SecretsStack } from "./stacks/secrets-stack";
import { ServicesStack } from "./stacks/services-stack";
import { STACK_IDS } from "./model/stack-ids";
import { StateStack } from "./stacks/state-stack";

export interface BuildAppOptions {
  /** Where `app.synth()` writes. @default - cdktf's default (CDKTF_OUTDIR or cdktf.out) */
  readonly outdir?: string;
}

export { STACK_IDS } from "./model/stack-ids";

/**
 * Every stack of the platform, created from config. Stacks hand each other values as typed
 * constructor inputs; cdktf turns those into remote-state references at synth.
 */
export function buildApp(config: PlatformConfig, options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir, skipValidation: false, stackTraces: false });
  // Which stacks exist, with which ids and targets, comes from the model.
  const model = platformModel(config);
  if (config.state.backend === "s3") {
    new StateStack(app, STACK_IDS.state, config);
  }
  // Bootstrap: the CI roles of each account (one stack per account), then the repositories'
  // variables and environments. They read no other stack: an administrator applies them first.
  const githubOidc = model.accounts.map(
    (target) =>
      new GithubOidcStack(app, model.githubOidcStacks[target.accountId], { config, target }),
  );
  const githubRepos = new GithubReposStack(app, STACK_IDS.githubRepos, { config });
  githubOidc.forEach((stack) => githubRepos.addDependency(stack));

  const ecr = new EcrStack(app, STACK_IDS.ecr, config);
  const networks: Record<string, NetworkStack> = {};
  const services: Record<string, ServicesStack> = {};
  for (const { name: environment, stackIds } of Object.values(model.environments)) {
    const network = new NetworkStack(app, stackIds.network, { config, environment });
    const secrets = new SecretsStack(app, stackIds.secrets, {
      config,
      environment,
      network: network.outputs,
    });
    networks[environment] = network;
    services[environment] = new ServicesStack(app, stackIds.services, {
      config,
      environment,
      network: network.outputs,
      ecr: ecr.outputs,
      secrets: secrets.outputs,
    });
  }
  // Deploy roles in environments outside the tooling account (none in a single-account setup),
  // BEFORE the pipeline: CreatePipeline checks that the pipeline role can assume each of them.
  const access = Object.values(model.environments).flatMap(({ name, stackIds }) =>
    stackIds.pipelineAccess
      ? [
          new PipelineAccessStack(app, stackIds.pipelineAccess, {
            config,
            environment: name,
            services: services[name].outputs,
          }),
        ]
      : [],
  );
  const pipeline = new PipelineStack(app, STACK_IDS.pipeline, {
    config,
    ecr: ecr.outputs,
    services: Object.fromEntries(model.promotion.map((env) => [env, services[env].outputs])),
  });
  access.forEach((stack) => pipeline.addDependency(stack));

  // HCP Terraform: the workspaces every other stack runs in, applied before all of them. Created
  // last: it reads which stacks read whose state from the others.
  if (config.state.backend === "hcp") {
    const stacks = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
    const workspaces = new HcpWorkspacesStack(app, STACK_IDS.hcpWorkspaces, {
      config,
      hcp: config.state,
      stacks,
    });
    stacks.forEach((stack) => stack.addDependency(workspaces));
  }
  return app;
}
