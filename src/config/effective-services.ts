import type { PlatformConfig, ServiceConfig } from "./schema/platform";

/**
 * A service as it runs in one environment: the top-level definition with the environment's
 * override (`environments.<env>.services.<name>`) applied. Sizing and counts are replaced;
 * plain environment variables are merged, the override's value winning for a repeated name.
 */
export type EffectiveService = ServiceConfig;

/** Every service of `environment`, in config order, with that environment's overrides applied. */
export function effectiveServices(config: PlatformConfig, environment: string): EffectiveService[] {
  const env = config.environments[environment];
  if (!env) {
    throw new Error(
      `unknown environment "${environment}"; defined: ${Object.keys(config.environments).join(", ")}`,
    );
  }
  return config.services.map((service) => {
    const override = env.services[service.name];
    if (!override) return service;
    return {
      ...service,
      cpu: override.cpu ?? service.cpu,
      memory: override.memory ?? service.memory,
      desiredCount: override.desiredCount ?? service.desiredCount,
      minCount: override.minCount ?? service.minCount,
      maxCount: override.maxCount ?? service.maxCount,
      environment: { ...service.environment, ...(override.environment ?? {}) },
    };
  });
}
