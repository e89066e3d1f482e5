/*
 * The tags the pipeline adds to an image after deploying it, shared by the pipeline (which writes
 * them) and the ECR lifecycle policy (which keeps the images they mark).
 */

/** Separates the environment from the execution id. Environment names never contain "--". */
const SEPARATOR = "--";

/**
 * `deployed-<env>--`: the prefix of every deployment tag of one environment. The double hyphen
 * keeps prefixes unambiguous: environment names never contain "--" nor end with "-", so
 * `deployed-prod--` is never a prefix of `deployed-prod-eu--...` (a single hyphen would be).
 */
export function deployedTagPrefix(environment: string): string {
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(environment) || environment.includes(SEPARATOR)) {
    throw new Error(`invalid environment name for a deployment tag: ${environment}`);
  }
  return `deployed-${environment}${SEPARATOR}`;
}

/**
 * `deployed-<env>--<pipeline execution id>`: written once per successful deploy, never moved, so
 * the tag history of an image is its deployment history (the execution id leads to the pipeline
 * run). ECR tags allow 128 characters: 9 + 12 (longest environment name) + 2 + 36 (a UUID).
 */
export function deployedTag(environment: string, executionId: string): string {
  const tag = `${deployedTagPrefix(environment)}${executionId}`;
  if (!ECR_TAG.test(tag)) throw new Error(`invalid ECR image tag: ${tag}`);
  return tag;
}

/** What ECR accepts as an image tag. */
export const ECR_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Lifecycle order of the environments' deployed-tag rules: the last promotion environment first.
 * ECR lets a higher-priority rule expire an image whose tags a lower-priority rule would keep; an
 * image running in production was deployed to every earlier environment too, so the production
 * rule must claim it before a busy staging rule counts it out.
 */
export function deployedTagPrefixesByPriority(promotion: readonly string[]): string[] {
  return [...promotion].reverse().map(deployedTagPrefix);
}
