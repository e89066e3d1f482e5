import { z } from "zod";
import { distinctList, dnsLabel } from "./primitives";

const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, {
  error: "environment variable names are letters, digits and _ and do not start with a digit",
});

/** Names that look like secrets must go through `secrets`, never plain environment variables. */
const SECRET_LIKE = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

const plainEnvironment = z.record(envVarName, z.string().max(4096)).superRefine((vars, ctx) => {
  for (const key of Object.keys(vars)) {
    if (SECRET_LIKE.test(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        input: key,
        message: `looks like a secret; list it under "secrets" so it is read from Secrets Manager`,
      });
    }
  }
});

const sizing = {
  /** Fargate CPU units. */
  cpu: z.number().int(),
  /** MiB; must be a pair AWS Fargate supports with cpu. */
  memory: z.number().int(),
  /** Tasks started when the service is created; then Application Auto Scaling sets the count. */
  desiredCount: z.number().int().min(0).max(1000),
  /** Fewest tasks Application Auto Scaling keeps running. */
  minCount: z.number().int().min(0).max(1000),
  /** Most tasks Application Auto Scaling starts. */
  maxCount: z.number().int().min(1).max(1000),
};

export const serviceSchema = z.strictObject({
  /** Service name: part of physical names, ECR repository and container name. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/, {
    error: "service names are 2-20 lowercase letters, digits and hyphens, starting with a letter",
  }),
  /** Host label: the service answers on `<subdomain>.<environment domain>`. */
  subdomain: dnsLabel,
  /** Port the container listens on; the ALB target group sends traffic and health checks there. */
  containerPort: z.number().int().min(1).max(65535),
  /** Path the ALB health check requests (200-399 is healthy); the default container check too. */
  healthCheckPath: z.string().regex(/^\/[\x21-\x7a|~]{0,1023}$/, {
    error: "must be an absolute URL path like /health (printable ASCII, no spaces, { or })",
  }),
  /** @default 256 */
  cpu: sizing.cpu.default(256),
  /** @default 512 */
  memory: sizing.memory.default(512),
  /** @default 1 */
  desiredCount: sizing.desiredCount.default(1),
  /** @default 1 */
  minCount: sizing.minCount.default(1),
  /** @default 4 */
  maxCount: sizing.maxCount.default(4),
  /** CPU architecture of the tasks; images must be built for it. @default "X86_64" */
  architecture: z.enum(["X86_64", "ARM64"]).default("X86_64"),
  /** Secrets Manager secrets created per environment and injected by ARN. Values are set out of band. */
  secrets: distinctList(
    z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, {
      error: "secret names are UPPER_SNAKE_CASE environment variable names",
    }),
    "secret",
  )
    .max(100)
    .default([]),
  /** Plain, non-secret environment variables. */
  environment: plainEnvironment.default({}),
  /** Numeric user the container runs as (never root). @default "1000:1000" */
  user: z
    .string()
    .regex(/^[1-9]\d{0,9}(:[1-9]\d{0,9})?$/, {
      error: 'must be a non-root numeric "uid" or "uid:gid" (not 0)',
    })
    .refine((u) => u.split(":").every((id) => Number(id) <= 4294967294), {
      error: "Linux user and group ids are at most 4294967294",
    })
    .default("1000:1000"),
  /**
   * Shell command of the container health check (exit 0 = healthy), for images without curl.
   * @default - `curl -fsS -o /dev/null 'http://localhost:<containerPort><healthCheckPath>' || exit 1`
   */
  healthCheckCommand: z
    .string()
    .min(1, { error: "must not be empty; leave it out to use the default curl check" })
    .max(1000)
    .optional(),
  /**
   * How a release replaces the running tasks. `rolling`: ECS replaces tasks in place, with the
   * circuit breaker and alarm rollback. `blue-green`: CodeDeploy starts a new task set behind a
   * second target group, opens it on the environment's test listener, then moves all production
   * traffic at once and rolls back on a failed deployment or an alarm. Changing it replaces the
   * ECS service (the pinned AWS provider cannot change a deployment controller in place), and a
   * blue/green service has no Cloud Map name (docs/services.md). @default "rolling"
   */
  deployment: z.enum(["rolling", "blue-green"]).default("rolling"),
  /** Settings of a `blue-green` service. @default - terminationWaitMinutes 5 */
  blueGreen: z
    .strictObject({
      /**
       * Minutes the old (blue) tasks keep running after production traffic moved, during which
       * a rollback is instant. AWS allows 0-2880 (2 days). @default 5
       */
      terminationWaitMinutes: z.number().int().min(0).max(2880).default(5),
    })
    .optional(),
  /** Managed policy ARNs added to the (otherwise empty) task role. @default [] */
  taskRolePolicyArns: distinctList(
    z
      .string()
      .regex(/^arn:aws:iam::(aws|\d{12}):policy\/.+$/, { error: "must be an IAM policy ARN" }),
    "policy",
  )
    // IAM attaches at most 10 managed policies to a role (default quota).
    .max(10)
    .default([]),
});

export const serviceOverrideSchema = z.strictObject({
  cpu: sizing.cpu.optional(),
  memory: sizing.memory.optional(),
  desiredCount: sizing.desiredCount.optional(),
  minCount: sizing.minCount.optional(),
  maxCount: sizing.maxCount.optional(),
  /** Merged over the service's `environment`; a repeated name takes this value. */
  environment: plainEnvironment.optional(),
});
