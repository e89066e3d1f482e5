import { z } from "zod";
import { accountId, distinctList, email, gitBranch, region } from "./primitives";

const configSourceSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("codecommit"),
      /** CodeCommit repository the ecr stack creates (the operator creates its branch before the pipeline stack). @default - `<project>-deploy-config` */
      repositoryName: z
        .string()
        .regex(/^[\w.-]{1,100}$/)
        .optional(),
      /** Branch the pipeline reads. @default "main" */
      branch: gitBranch.default("main"),
    }),
    z.strictObject({
      type: z.literal("s3"),
      /** Object key of the zip with deploy config and test scripts. @default "deploy-config.zip" */
      objectKey: z.string().min(1).default("deploy-config.zip"),
    }),
    z.strictObject({
      type: z.literal("github"),
      /** An existing CodeConnections connection ARN (its handshake is done in the console). */
      connectionArn: z
        .string()
        .regex(
          /^arn:aws:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/,
          {
            error: "must be a CodeConnections connection ARN",
          },
        ),
      /** `owner/repo` @default - github.owner/github.infraRepository */
      repository: z
        .string()
        .regex(/^[\w.-]+\/[\w.-]+$/)
        .optional(),
      /** Branch the pipeline reads. @default "main" */
      branch: gitBranch.default("main"),
    }),
  ],
  { error: 'pipeline.configSource.type must be "codecommit", "s3" or "github"' },
);

/** The alarms every service has in every environment (services stacks), by the name's suffix. */
export const SERVICE_ALARM_KINDS = [
  "target-5xx",
  "latency-p99",
  "unhealthy-hosts",
  "cpu-high",
  "memory-high",
  "running-below-desired",
] as const;
export type ServiceAlarmKind = (typeof SERVICE_ALARM_KINDS)[number];

/**
 * How long a release must run without alarms: in the environment before the approval (before
 * the approval opens), and in the last environment after its deploy (else it rolls back).
 */
const bakeSchema = z.strictObject({
  /**
   * Minutes the environment before the approval must stay free of alarms before the approval
   * opens; 0 checks the alarms once. At most 50 (a CodePipeline Commands rule runs at most 55
   * minutes, and the bake needs the build's start and a role assumption within them).
   * @default 10
   */
  beforeApprovalMinutes: z.number().int().min(0).max(50).default(10),
  /**
   * Minutes the last environment is watched after its deploy; an alarm rolls the release back.
   * 0 checks the alarms once. At most 50. @default 15
   */
  afterReleaseMinutes: z.number().int().min(0).max(50).default(15),
  /**
   * Which of each service's alarms count, at most 4 (a stage condition holds at most 5 rules).
   * @default ["target-5xx", "unhealthy-hosts", "running-below-desired"]
   */
  alarms: z
    .array(z.enum(SERVICE_ALARM_KINDS))
    .min(1)
    .max(4)
    .refine((kinds) => new Set(kinds).size === kinds.length, { error: "list each alarm once" })
    .default(["target-5xx", "unhealthy-hosts", "running-below-desired"]),
});

/**
 * The Amazon Inspector scan of each candidate image (after the build, before any deploy): the
 * release fails when a severity has more findings than its threshold. Leave a severity out to
 * not limit it.
 */
const imageScanSchema = z.strictObject({
  /** Critical findings allowed. @default 0 */
  critical: z.number().int().min(0).default(0),
  /** High findings allowed. @default - no limit */
  high: z.number().int().min(0).optional(),
  /** Medium findings allowed. @default - no limit */
  medium: z.number().int().min(0).optional(),
  /** Low findings allowed. @default - no limit */
  low: z.number().int().min(0).optional(),
});

export const pipelineSchema = z.strictObject({
  /**
   * Environments the pipeline deploys to, in order. Each but the last is tested after its deploy;
   * the last is gated by the manual approval. @default ["staging", "production"]
   */
  promotion: z.array(z.string()).min(2).default(["staging", "production"]),
  /** Admins emailed through SNS to approve production releases; at least one. */
  approvers: distinctList(email, "address")
    .min(1, { error: "at least one approver email is required" })
    .max(100),
  /** Approval times out (and the execution fails) after this many minutes; AWS allows up to 7 days. @default 1440 */
  approvalTimeoutMinutes: z.number().int().min(5).max(10080).default(1440),
  /**
   * How long a deploy may take before it fails (and rolls back), in minutes. A failed ECS
   * deployment fails the pipeline only when this runs out (docs/pipeline.md).
   * @default - derived from the services' health-check timings (10 minutes)
   */
  deployTimeoutMinutes: z.number().int().min(1).max(60).optional(),
  /** Where deployment config and test scripts come from. @default { type: codecommit } */
  configSource: configSourceSchema.default({ type: "codecommit", branch: "main" }),
  /** Tooling account hosting the pipeline. @default - the first promotion environment's account */
  tooling: z.strictObject({ accountId, region }).optional(),
  /** Alarm bake times around the approval and after the last deploy. @default {} (the defaults) */
  bake: bakeSchema.default({
    beforeApprovalMinutes: 10,
    afterReleaseMinutes: 15,
    alarms: ["target-5xx", "unhealthy-hosts", "running-below-desired"],
  }),
  /** The vulnerability gate; `false` turns it off. @default { critical: 0 } */
  imageScan: z.union([imageScanSchema, z.literal(false)]).default({ critical: 0 }),
  /** Image tag the ECR source action watches. @default "release" */
  sourceImageTag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/)
    .default("release"),
});
