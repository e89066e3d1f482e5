import type { CrossFieldIssue, LoosePlatform } from "./validate";

type Report = (path: (string | number)[], input: unknown, message: string) => void;

/** AWS quotas of one Application Load Balancer that every service (twice if blue/green) uses. */
export const ALB_TARGET_GROUPS = 100;
/** ECS refuses task definitions over 64 KiB; the platform's own parts take a few KiB. */
export const ENVIRONMENT_BYTES = 48 * 1024;

/*
 * Rules across services, and between services and environments, that AWS enforces at apply.
 */
export function serviceIssues(config: LoosePlatform): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const report: Report = (path, input, message) => issues.push({ path, input, message });
  const services = config.services.flatMap((s, i) => (s ? [{ s, i }] : []));

  // Every service has a target group and a listener rule on each environment's ALB; a
  // blue/green service has two of each (its test listener rule counts toward the ALB's rules).
  const used = services.reduce((n, { s }) => n + (s.deployment === "blue-green" ? 2 : 1), 0);
  if (used > ALB_TARGET_GROUPS) {
    report(
      ["services"],
      `${services.length} services`,
      `need ${used} target groups and listener rules on each environment's load balancer (blue/green services two each); AWS allows ${ALB_TARGET_GROUPS} per Application Load Balancer`,
    );
  }

  for (const { s, i } of services) {
    const secrets = new Set(s.secrets ?? []);
    const clash = (env: Record<string, string> | undefined, path: (string | number)[]) => {
      for (const name of Object.keys(env ?? {}).filter((n) => secrets.has(n))) {
        report(
          [...path, name],
          name,
          `is also one of the service's secrets; ECS refuses a task definition whose secret and environment variable share a name: keep one`,
        );
      }
    };
    clash(s.environment, ["services", i, "environment"]);
    for (const [envName, env] of config.environments) {
      const override = env?.services?.[s.name] as
        { environment?: Record<string, string> } | undefined;
      clash(override?.environment, ["environments", envName, "services", s.name, "environment"]);
      const merged = { ...(s.environment ?? {}), ...(override?.environment ?? {}) };
      const bytes = Object.entries(merged).reduce(
        (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)),
        0,
      );
      if (bytes > ENVIRONMENT_BYTES) {
        report(
          ["services", i, "environment"],
          `${Object.keys(merged).length} variables, ${bytes} bytes in ${envName}`,
          `the task definition would exceed what ECS accepts (64 KiB in all); keep environment variables under ${ENVIRONMENT_BYTES / 1024} KiB, and large values in S3 or Secrets Manager`,
        );
      }
    }
    // A customer managed policy lives in one account; the task role exists in every
    // environment's account, and IAM cannot attach another account's policy.
    (s.taskRolePolicyArns ?? []).forEach((arn, j) => {
      const account = /^arn:aws:iam::(\d{12}):policy\//.exec(arn)?.[1];
      if (!account) return;
      const elsewhere = config.environments
        .filter(([, env]) => env?.accountId && env.accountId !== account)
        .map(([name]) => name);
      if (elsewhere.length > 0) {
        report(
          ["services", i, "taskRolePolicyArns", j],
          arn,
          `is a policy of account ${account}, but the service also runs in ${elsewhere.join(", ")} (another account), where IAM cannot attach it; use an AWS managed policy or one policy per account`,
        );
      }
    });
  }

  // Physical names are <project>-<environment>-<service>-...: two environments in one account
  // must not produce the same prefix (env "stg" with service "api-web", env "stg-api" with "web").
  const seen = new Map<string, string>();
  for (const [envName, env] of config.environments) {
    if (!env?.accountId) continue;
    for (const { s } of services) {
      const key = `${env.accountId}/${envName}-${s.name}`;
      const other = seen.get(key);
      if (other && other !== `${envName}/${s.name}`) {
        report(
          ["environments", envName],
          envName,
          `with service ${s.name} makes the same resource names as ${other.replace("/", " with service ")} in account ${env.accountId} (${envName}-${s.name}-...); rename the environment or a service`,
        );
      } else {
        seen.set(key, `${envName}/${s.name}`);
      }
    }
  }
  return issues;
}
