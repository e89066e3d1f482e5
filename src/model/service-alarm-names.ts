import type { PlatformConfig, ServiceAlarmKind } from "../config";
import { Naming } from "../config/naming";

/*
 * Service alarm names, derived from config: the services stack creates the alarms under these
 * names, and the pipeline stack's release gates watch them by name (no cross-stack reference).
 */

/** `<project>-<env>-<service>`: the prefix of a service's alarms in an environment. */
export function serviceAlarmPrefix(
  config: PlatformConfig,
  environment: string,
  service: string,
): string {
  return new Naming(config.project, environment).name(service, "alarm");
}

/** `<prefix>-<kind>`, e.g. `acme-shop-staging-api-target-5xx`. */
export function serviceAlarmName(
  config: PlatformConfig,
  environment: string,
  service: string,
  kind: ServiceAlarmKind,
): string {
  return `${serviceAlarmPrefix(config, environment, service)}-${kind}`;
}
