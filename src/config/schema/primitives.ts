import { z } from "zod";
import { AWS_REGIONS } from "../aws-limits";
import { parseCidr } from "../cidr";

/** Lowercase DNS-label-like names used inside physical names: `<project>-<env>-<component>`. */
export const resourceLabel = (what: string, max: number) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
      error: `${what} must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen`,
    })
    .max(max, { error: `${what} must be at most ${max} characters` })
    .refine((s) => !s.includes("--"), { error: `${what} must not contain "--"` });

/** AWS account id: 12 digits, quoted in YAML so leading zeros survive. */
export const accountId = z
  .string({ error: "an AWS account id is a quoted string of 12 digits" })
  .regex(/^\d{12}$/, { error: "an AWS account id must be exactly 12 digits" });

/** AWS region name, e.g. eu-west-1. */
export const region = z.enum(AWS_REGIONS, {
  error: `unknown AWS region; allowed: ${AWS_REGIONS.join(", ")}`,
});

export const cidr = z.string().refine((s) => parseCidr(s) !== undefined, {
  error: "must be an IPv4 CIDR like 10.0.0.0/16 with no host bits set",
});

export const email = z.email({ error: "must be a valid email address" });

export const roleArn = z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
  error: "must be an IAM role ARN like arn:aws:iam::123456789012:role/name",
});

/** RFC 1123 hostname, lowercase, at least two labels. */
export const domainName = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: "must be a lowercase DNS name like shop.example.com",
  });

/** A single DNS label (one part of a host name). */
export const dnsLabel = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: "must be one lowercase DNS label (letters, digits, hyphens; at most 63 characters)",
});

export const hostedZoneId = z.string().regex(/^Z[A-Z0-9]{1,31}$/, {
  error: "must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ",
});

/** Tag keys and values as AWS allows them (keys 1-128, values 0-256; no aws: prefix). */
export const tags = z.record(
  z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, {
      error: "tag keys allow letters, digits, spaces and _.:/=+-@",
    })
    .refine((k) => !k.toLowerCase().startsWith("aws:"), {
      error: 'tag keys must not start with "aws:"',
    }),
  z
    .string()
    .max(256, { error: "tag values must be at most 256 characters" })
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, {
      error:
        "tag values allow letters, digits, spaces and _.:/=+-@ (what every AWS service accepts)",
    }),
);

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** Days a CloudWatch log group keeps its events: only the values CloudWatch Logs accepts. */
export const logRetentionDays = z
  .number()
  .int()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    error: `CloudWatch Logs accepts only ${LOG_RETENTION_DAYS.join(", ")} days`,
  });

/**
 * A list whose entries must be distinct: AWS rejects duplicates at apply (two identical security
 * group rules, two secrets of one name in a container) or the platform would make the same
 * resource twice. `what` names an entry in the message.
 */
export function distinctList<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).superRefine((items, ctx) => {
    const seen = new Map<string, number>();
    items.forEach((value, i) => {
      const key = JSON.stringify(value);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        return;
      }
      ctx.addIssue({
        code: "custom",
        path: [i],
        input: value,
        message: `is listed twice (also at [${first}]); list each ${what} once`,
      });
    });
  });
}

/**
 * A branch name as git accepts it (git check-ref-format --branch), written short: `main`, not
 * `refs/heads/main` (every branch field here means a branch of refs/heads).
 */
export const gitBranch = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(255)
  .superRefine((name, ctx) => {
    const problem = branchProblem(name);
    if (problem) ctx.addIssue({ code: "custom", input: name, message: problem });
  });

function branchProblem(name: string): string | undefined {
  if (name.startsWith("refs/")) {
    return `write the branch name alone (${name.replace(/^refs\/(heads\/)?/, "")}), without "refs/heads/"`;
  }
  const control =
    /\s/u.test(name) || [...name].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f);
  if (control || /[~^:?*[\\]/.test(name)) {
    return "must be a literal git branch name: no wildcards (* ? [), spaces, control characters, ~ ^ : or \\";
  }
  if (name.includes("..")) return 'git branch names cannot contain ".."';
  if (name.includes("@{") || name === "@") return 'git branch names cannot contain "@{" or be "@"';
  if (name.startsWith("-")) return 'git branch names cannot start with "-"';
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) {
    return 'git branch names cannot start or end with "/" or contain "//"';
  }
  if (name.endsWith(".")) return 'git branch names cannot end with "."';
  for (const part of name.split("/")) {
    if (part.startsWith(".")) return `git branch name components cannot start with "." (${part})`;
    if (part.endsWith(".lock"))
      return `git branch name components cannot end with ".lock" (${part})`;
  }
  return undefined;
}
