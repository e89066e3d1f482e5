import type { Construct } from "constructs";
import type { EnvironmentConfig, PlatformConfig } from "../config";
import { platformModel, type EnvironmentModel } from "../model/platform-model";
import type { AwsTarget } from "../model/targets";
import { PlatformStack } from "./platform-stack";

export interface EnvironmentStackProps {
  readonly config: PlatformConfig;
  /** A key of `config.environments`. */
  readonly environment: string;
}

/**
 * A stack deployed into one environment's account and region: its default AWS provider targets
 * that environment, and `env` is the environment's config.
 */
export class EnvironmentStack extends PlatformStack {
  readonly env: EnvironmentConfig;
  /** The environment as the platform model derives it (defaults, services, shared names). */
  readonly model: EnvironmentModel;
  readonly target: AwsTarget;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, { config: props.config, environment: props.environment });
    const env = props.config.environments[props.environment];
    if (!env) throw new Error(`${id}: unknown environment ${props.environment}`);
    this.env = env;
    this.model = platformModel(props.config).environments[props.environment];
    this.target = this.model.target;
    this.addAwsProvider(this.target);
  }
}
