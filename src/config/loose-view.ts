import { z } from "zod";
import {
  dnsSchema,
  environmentSchema,
  loadBalancerSchema,
  frontendEnvironmentSchema,
  networkSchema,
} from "./schema/environment";
import { accountId as accountIdSchema, region } from "./schema/primitives";
import { githubSchema } from "./schema/github";
import { pipelineSchema } from "./schema/pipeline";
import type { PlatformConfig } from "./schema/platform";
import { serviceOverrideSchema, serviceSchema } from "./schema/service";
import type { EnvironmentShape, LoosePlatform } from "./validate";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The validated config as the cross-field rules see it. */
export function strictView(config: PlatformConfig): LoosePlatform {
  return {
    services: config.services,
    servicesComplete: true,
    environments: Object.entries(config.environments),
    environmentNames: Object.keys(config.environments),
    promotion: config.pipeline.promotion,
    tooling: config.pipeline.tooling,
    github: config.github,
    hasFrontendSection: config.frontend !== undefined,
  };
}

// Unknown keys are already reported by the strict schema; here they must not hide other problems.
const looseService = z.object(serviceSchema.shape);
const looseEnvironmentSchema = z.object(environmentSchema.shape);
const looseNetwork = z.object(networkSchema.shape);
const looseOverrides = z.record(z.string(), z.object(serviceOverrideSchema.shape));

/** An environment whose own schema failed, rebuilt from the parts that are valid. */
function looseEnvironment(raw: unknown): EnvironmentShape | undefined {
  const whole = looseEnvironmentSchema.safeParse(raw);
  if (whole.success) return whole.data;
  if (!isRecord(raw)) return undefined;
  const network = looseNetwork.safeParse(raw.network).data;
  const envRegion = region.safeParse(raw.region).data;
  return {
    region: envRegion,
    accountId: accountIdSchema.safeParse(raw.accountId).data,
    dns: dnsSchema.safeParse(raw.dns).data,
    loadBalancer: loadBalancerSchema.safeParse(raw.loadBalancer ?? {}).data,
    production: raw.production === true,
    network,
    services: looseOverrides.safeParse(raw.services ?? {}).data,
    frontend: frontendEnvironmentSchema.safeParse(raw.frontend).data,
  };
}

/**
 * A config that failed its schema, section by section: each service, environment and section that
 * is valid on its own (defaults applied) is kept, the others are undefined. This lets cross-field
 * rules report their problems in the same run as the schema's.
 */
export function looseView(raw: unknown): LoosePlatform {
  const root = isRecord(raw) ? raw : {};
  const rawServices = Array.isArray(root.services) ? root.services : [];
  const services = rawServices.map((s) => looseService.safeParse(s).data);
  const rawEnvs = isRecord(root.environments) ? root.environments : {};
  // Promotion is checked against the environments only when both were written: a default list
  // against missing environments would only repeat the schema's "environments is required".
  const rawPipeline = isRecord(root.pipeline) ? root.pipeline : {};
  const promotion =
    rawPipeline.promotion !== undefined && isRecord(root.environments)
      ? pipelineSchema.shape.promotion.safeParse(rawPipeline.promotion).data
      : undefined;
  return {
    services,
    servicesComplete: services.every((s) => s !== undefined),
    environments: Object.entries(rawEnvs).map(([name, env]) => [name, looseEnvironment(env)]),
    environmentNames: Object.keys(rawEnvs),
    promotion,
    tooling: pipelineSchema.shape.tooling.safeParse(rawPipeline.tooling).data,
    github: githubSchema.safeParse(root.github).data,
    hasFrontendSection: root.frontend !== undefined,
  };
}
