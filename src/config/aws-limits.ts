/**
 * Facts about AWS that the config validation and the naming helper both need.
 * Kept as data so a new region or Fargate size is a one-line change.
 */

/** Commercial AWS regions (GovCloud and China partitions are out of scope: their ARNs differ). */
export const AWS_REGIONS = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

/**
 * Fargate task sizes: for each CPU value (CPU units), the allowed memory range in MiB and its step.
 * Source: Amazon ECS developer guide, "Task CPU and memory".
 */
export const FARGATE_SIZES: Readonly<
  Record<number, { min: number; max: number; step: number; only?: readonly number[] }>
> = {
  256: { min: 512, max: 2048, step: 512, only: [512, 1024, 2048] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** Whether AWS Fargate accepts this cpu/memory pair. */
export function isValidFargateSize(cpu: number, memory: number): boolean {
  const size = FARGATE_SIZES[cpu];
  if (!size) return false;
  if (size.only) return size.only.includes(memory);
  if (memory < size.min || memory > size.max) return false;
  return (memory - size.min) % size.step === 0;
}

/** A human-readable statement of the memory values allowed with a CPU value. */
export function describeFargateMemory(cpu: number): string {
  const size = FARGATE_SIZES[cpu];
  if (!size) return `cpu must be one of ${Object.keys(FARGATE_SIZES).join(", ")}`;
  if (size.only) return `use one of ${size.only.join(", ")}`;
  return `use ${size.min}-${size.max} in steps of ${size.step}`;
}
