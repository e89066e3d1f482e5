import type { PlatformConfig } from "../config";
import { fitName, Naming } from "../config/naming";
import { envAccessLogBucketName, staticAssetsBucketName } from "./access-log-names";
import { effectiveServices, type EffectiveService } from "../config/effective-services";
import type { FargateCapacity } from "../constructs/ecs-cluster";
import type { NatGatewayStrategy } from "../constructs/vpc";
import { accountTargets } from "./account-targets";
import { listenerRulePriorities } from "./listener-priorities";
import {
  albDeletionProtection,
  clusterCapacity,
  namespaceName,
  natStrategy,
  serviceHostnames,
  wafEnabled,
} from "./network-defaults";
import { deployRoleArn, deployRoleName, pipelineRoleName } from "./pipeline-resource-names";
import { pipelineName } from "./pipeline-names";
import { applySteps, firstDeployRunbook } from "./runbook";
import { serviceAlarmPrefix } from "./service-alarm-names";
import { executionRoleArn, executionRoleName } from "./service-role-names";
import { STACK_IDS } from "./stack-ids";
import {
  environmentTarget,
  githubOidcStackId,
  pipelineAccessEnvironments,
  serviceSecretName,
  toolingTarget,
  type AwsTarget,
} from "./targets";

/*
 * The platform as data, derived once from a validated config: where everything lives, which
 * stacks exist and in what order they deploy, every environment's effective services, defaults
 * and the names and ARNs stacks share. Immutable (frozen): stacks and tools read it, nothing
 * writes it. Each value comes from the one function in src/model that makes it, so a stack that
 * still calls that function directly gets the same value.
 */

export interface ServiceModel {
  readonly name: string;
  /** The service as it runs in this environment (the environment's overrides applied). */
  readonly effective: EffectiveService;
  readonly hostname: string;
  readonly listenerRulePriority: number;
  readonly alarmPrefix: string;
  /** Physical names of the service's resources that other stacks (or the pipeline) name too. */
  readonly names: {
    readonly ecsService: string;
    readonly taskFamily: string;
    /** Carries the port: a port change creates the new group before the old one goes. */
    readonly targetGroup: string;
    readonly taskRole: string;
    readonly logGroup: string;
    /** Blue/green services only. */
    readonly blueGreen?: {
      readonly greenTargetGroup: string;
      /** CodeDeploy application and deployment group (the same name). */
      readonly codeDeploy: string;
      readonly codeDeployRole: string;
    };
  };
  readonly executionRoleName: string;
  readonly executionRoleArn: string;
  /** Secret name (environment variable) -> Secrets Manager secret name. */
  readonly secretNames: Readonly<Record<string, string>>;
  /** The pipeline's deploy role here, when the environment is outside the tooling account. */
  readonly deployRole?: { readonly name: string; readonly arn: string };
}

export interface EnvironmentModel {
  readonly name: string;
  readonly target: AwsTarget;
  readonly production: boolean;
  readonly natGateways: NatGatewayStrategy;
  readonly waf: boolean;
  readonly albDeletionProtection: boolean;
  readonly capacity: FargateCapacity;
  readonly namespace: string;
  /** S3 buckets the environment's stacks share by name (the network stack logs into them). */
  readonly buckets: {
    readonly albLogs: string;
    /** Server access logs of every bucket of the environment. */
    readonly accessLogs: string;
    /** `frontend.staticAssetsBucket` only: the services stack makes it. */
    readonly staticAssets?: string;
  };
  readonly stackIds: {
    readonly network: string;
    readonly secrets: string;
    readonly services: string;
    /** Only where the pipeline deploys from another account. */
    readonly pipelineAccess?: string;
  };
  readonly services: Readonly<Record<string, ServiceModel>>;
}

export interface PlatformModel {
  readonly project: string;
  readonly tooling: AwsTarget;
  /** Every platform account with the target its providers use, tooling account first. */
  readonly accounts: readonly AwsTarget[];
  /** The GitHub OIDC stack of each account, by account id. */
  readonly githubOidcStacks: Readonly<Record<string, string>>;
  readonly environments: Readonly<Record<string, EnvironmentModel>>;
  /** Promotion order of the pipeline. */
  readonly promotion: readonly string[];
  /** One delivery pipeline per service: its name and role. */
  readonly pipelines: Readonly<
    Record<string, { readonly name: string; readonly roleName: string }>
  >;
  /** Every stack id in the order the first deploy applies them (the rehearsed runbook). */
  readonly deployOrder: readonly string[];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

const models = new WeakMap<PlatformConfig, PlatformModel>();

/** The model of a validated config, derived once per config object. */
export function platformModel(config: PlatformConfig): PlatformModel {
  let model = models.get(config);
  if (!model) {
    model = deriveModel(config);
    models.set(config, model);
  }
  return model;
}

function deriveModel(config: PlatformConfig): PlatformModel {
  const access = new Set(pipelineAccessEnvironments(config));
  const environments = Object.fromEntries(
    Object.entries(config.environments).map(([name, env]): [string, EnvironmentModel] => {
      const services = effectiveServices(config, name);
      const priorities = listenerRulePriorities(services.map((s) => s.name));
      const hostnames = serviceHostnames(config, name);
      const naming = new Naming(config.project, name);
      return [
        name,
        {
          name,
          target: environmentTarget(config, name),
          production: env.production,
          natGateways: natStrategy(env),
          waf: wafEnabled(env),
          albDeletionProtection: albDeletionProtection(env),
          capacity: clusterCapacity(env),
          namespace: namespaceName(config, name),
          buckets: {
            albLogs: naming.bucket("alb-logs", env.accountId),
            accessLogs: envAccessLogBucketName(naming, env.accountId),
            ...(config.frontend?.staticAssetsBucket
              ? { staticAssets: staticAssetsBucketName(naming, env.accountId) }
              : {}),
          },
          stackIds: {
            network: STACK_IDS.network(name),
            secrets: STACK_IDS.secrets(name),
            services: STACK_IDS.services(name),
            ...(access.has(name) ? { pipelineAccess: STACK_IDS.pipelineAccess(name) } : {}),
          },
          services: Object.fromEntries(
            services.map((s): [string, ServiceModel] => [
              s.name,
              {
                name: s.name,
                effective: s,
                hostname: hostnames[s.name],
                listenerRulePriority: priorities[s.name],
                alarmPrefix: serviceAlarmPrefix(config, name, s.name),
                names: {
                  ecsService: naming.name(s.name, "ecsService"),
                  taskFamily: naming.name(s.name, "taskFamily"),
                  targetGroup: naming.name(`${s.name}-${s.containerPort}`, "targetGroup"),
                  taskRole: naming.name(`${s.name}-task`, "iamRole"),
                  logGroup: fitName(`/ecs/${config.project}/${name}/${s.name}`, "logGroup"),
                  ...(s.deployment === "blue-green"
                    ? {
                        blueGreen: {
                          greenTargetGroup: naming.name(
                            `${s.name}-${s.containerPort}-g`,
                            "targetGroup",
                          ),
                          codeDeploy: naming.name(s.name),
                          codeDeployRole: naming.name(`${s.name}-codedeploy`, "iamRole"),
                        },
                      }
                    : {}),
                },
                executionRoleName: executionRoleName(config, name, s.name),
                executionRoleArn: executionRoleArn(config, name, s.name),
                secretNames: Object.fromEntries(
                  s.secrets.map((key) => [key, serviceSecretName(config, name, s.name, key)]),
                ),
                ...(access.has(name)
                  ? {
                      deployRole: {
                        name: deployRoleName(config, name, s.name),
                        arn: deployRoleArn(config, name, s.name),
                      },
                    }
                  : {}),
              },
            ]),
          ),
        },
      ];
    }),
  );
  const accounts = accountTargets(config);
  // A copy, frozen: the model shares no object with the config it came from.
  return deepFreeze(
    structuredClone({
      project: config.project,
      tooling: toolingTarget(config),
      accounts,
      githubOidcStacks: Object.fromEntries(
        accounts.map((t) => [t.accountId, githubOidcStackId(config, t.accountId)]),
      ),
      environments,
      promotion: [...config.pipeline.promotion],
      pipelines: Object.fromEntries(
        config.services.map((s) => [
          s.name,
          { name: pipelineName(config, s.name), roleName: pipelineRoleName(config, s.name) },
        ]),
      ),
      deployOrder: applySteps(firstDeployRunbook(config)).map((step) => step.stack),
    }),
  );
}
