import type { PlatformConfig } from "../config";
import { pipelineAccessEnvironments } from "./targets";
import { environmentTarget, toolingTarget } from "./targets";
import { STACK_IDS } from "./stack-ids";

/** A stack CI applies: it writes to one AWS account. */
export interface CiStack {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * Every stack CI applies, with its account: the ECR repositories and the pipeline in the tooling
 * account; network, secrets and services per environment; the pipeline's deploy roles in each
 * environment outside the tooling account. (The bootstrap stacks are applied by administrators.)
 */
export function ciStacks(config: PlatformConfig): CiStack[] {
  const tooling = toolingTarget(config);
  const inEnv = (stack: string, env: string): CiStack => {
    const target = environmentTarget(config, env);
    return { stack, accountId: target.accountId, region: target.region };
  };
  const environments = Object.keys(config.environments);
  return [
    { stack: STACK_IDS.ecr, accountId: tooling.accountId, region: tooling.region },
    ...environments.flatMap((env) => [
      inEnv(STACK_IDS.network(env), env),
      inEnv(STACK_IDS.secrets(env), env),
      inEnv(STACK_IDS.services(env), env),
    ]),
    ...pipelineAccessEnvironments(config).map((env) => inEnv(STACK_IDS.pipelineAccess(env), env)),
    { stack: STACK_IDS.pipeline, accountId: tooling.accountId, region: tooling.region },
  ];
}
