import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import type { PlatformConfig } from "../../src/config";
import type { EcrOutputs, ServicesOutputs } from "../../src/stacks/contracts";
import { pipelineAccessEnvironments } from "../../src/model/targets";
import { PipelineAccessStack } from "../../src/stacks/pipeline-access-stack";
import { PipelineStack } from "../../src/stacks/pipeline-stack";
import { STACK_IDS } from "../../src/model/stack-ids";
import type { StackJson } from "../helpers/synth";

/** Hand-made producer outputs with literal values, shaped like the real stacks'. */
export function ecrOutputs(config: PlatformConfig, accountId = "111111111111"): EcrOutputs {
  return {
    repositories: Object.fromEntries(
      config.services.map((s) => [
        s.name,
        {
          name: `${config.project}/${s.name}`,
          arn: `arn:aws:ecr:eu-west-1:${accountId}:repository/${config.project}/${s.name}`,
          url: `${accountId}.dkr.ecr.eu-west-1.amazonaws.com/${config.project}/${s.name}`,
        },
      ]),
    ),
    kmsKeyArn: `arn:aws:kms:eu-west-1:${accountId}:key/0a1b2c3d-4e5f-4a1b-8c2d-0123456789ab`,
    ...(config.pipeline.configSource.type === "codecommit"
      ? {
          configRepository: {
            name: `${config.project}-deploy-config`,
            arn: `arn:aws:codecommit:eu-west-1:${accountId}:${config.project}-deploy-config`,
          },
        }
      : {}),
  };
}

export function servicesOutputs(config: PlatformConfig, environment: string): ServicesOutputs {
  const env = config.environments[environment];
  const prefix = `${config.project}-${environment}`;
  return {
    environment,
    services: Object.fromEntries(
      config.services.map((s) => [
        s.name,
        {
          name: s.name,
          clusterName: prefix,
          ecsServiceName: `${prefix}-${s.name}`,
          containerName: s.name,
          taskFamily: `${prefix}-${s.name}`,
          taskRoleArn: `arn:aws:iam::${env.accountId}:role/${prefix}-${s.name}-task`,
          executionRoleArn: `arn:aws:iam::${env.accountId}:role/${prefix}-${s.name}-execution`,
          url: `https://${s.subdomain}.${env.dns.domain}`,
        },
      ]),
    ),
  };
}

export interface PipelineSynth {
  readonly stacks: Record<string, StackJson>;
  readonly dependencies: Record<string, string[]>;
}

/** The pipeline and access stacks alone, from hand-made inputs, through a real app.synth(). */
export function synthPipeline(config: PlatformConfig): PipelineSynth {
  const outdir = mkdtempSync(join(tmpdir(), "pipeline-synth-"));
  try {
    const app = new App({ outdir });
    const services = Object.fromEntries(
      config.pipeline.promotion.map((env) => [env, servicesOutputs(config, env)]),
    );
    const access = pipelineAccessEnvironments(config).map(
      (environment) =>
        new PipelineAccessStack(app, STACK_IDS.pipelineAccess(environment), {
          config,
          environment,
          services: services[environment],
        }),
    );
    const pipeline = new PipelineStack(app, STACK_IDS.pipeline, {
      config,
      ecr: ecrOutputs(config),
      services,
    });
    access.forEach((stack) => pipeline.addDependency(stack));
    app.synth();
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
      stacks: Record<string, { synthesizedStackPath: string; dependencies: string[] }>;
    };
    const stacks: Record<string, StackJson> = {};
    const dependencies: Record<string, string[]> = {};
    for (const [id, entry] of Object.entries(manifest.stacks)) {
      stacks[id] = JSON.parse(
        readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"),
      ) as StackJson;
      dependencies[id] = entry.dependencies;
    }
    return { stacks, dependencies };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export interface Action {
  name: string;
  category: string;
  owner: string;
  provider: string;
  version: string;
  configuration?: Record<string, string>;
  input_artifacts?: string[];
  output_artifacts?: string[];
  namespace?: string;
  role_arn?: string;
  timeout_in_minutes?: number;
  run_order?: number;
}

/** A stage condition rule as synthesized. */
export interface Rule {
  name: string;
  rule_type_id: { category: string; owner: string; provider: string; version: string };
  configuration?: Record<string, string>;
  commands?: string[];
  input_artifacts?: string[];
  role_arn?: string;
  region?: string;
}

export interface Condition {
  result: string;
  rule: Rule[];
}

export interface Stage {
  name: string;
  action: Action[];
  before_entry?: { condition: Condition };
  on_success?: { condition: Condition };
  on_failure?: { result?: string; condition?: Condition };
}

export interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every resource of a type in a stack. */
export function resources(stack: StackJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}

/** The pipelines of the pipeline stack, by pipeline name. */
export function pipelines(
  stack: StackJson,
): Record<string, { stage: Stage[] } & Record<string, unknown>> {
  return Object.fromEntries(
    Object.values(resources(stack, "aws_codepipeline")).map((p) => [
      p.name as string,
      p as { stage: Stage[] } & Record<string, unknown>,
    ]),
  );
}

export function statementsOf(policy: unknown): Statement[] {
  return (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;
}

export function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
