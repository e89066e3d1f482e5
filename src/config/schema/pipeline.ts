import { z } from "zod";
import { accountId, email, region } from "./primitives";

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
      branch: z.string().min(1).default("main"),
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
      branch: z.string().min(1).default("main"),
    }),
  ],
  { error: 'pipeline.configSource.type must be "codecommit", "s3" or "github"' },
);

export const pipelineSchema = z.strictObject({
  /**
   * Environments the pipeline deploys to, in order. Each but the last is tested after its deploy;
   * the last is gated by the manual approval. @default ["staging", "production"]
   */
  promotion: z.array(z.string()).min(2).default(["staging", "production"]),
  /** Admins emailed through SNS to approve production releases; at least one. */
  approvers: z.array(email).min(1, { error: "at least one approver email is required" }),
  /** Approval times out (and the execution fails) after this many minutes; AWS allows up to 7 days. @default 1440 */
  approvalTimeoutMinutes: z.number().int().min(5).max(10080).default(1440),
  /** ECS deploy action timeout in minutes. @default 30 */
  deployTimeoutMinutes: z.number().int().min(1).max(60).default(30),
  /** Where deployment config and test scripts come from. @default { type: codecommit } */
  configSource: configSourceSchema.default({ type: "codecommit", branch: "main" }),
  /** Tooling account hosting the pipeline. @default - the first promotion environment's account */
  tooling: z.strictObject({ accountId, region }).optional(),
  /** Image tag the ECR source action watches. @default "release" */
  sourceImageTag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/)
    .default("release"),
});
