import type { PlatformConfig } from "./schema/platform";
import { createHash } from "node:crypto";

/**
 * AWS limits on physical names, per kind of resource. A name that does not fit is shortened
 * deterministically: cut, then suffixed with a hash of the full name, so two long names that
 * share a prefix still differ and the same input always yields the same name.
 */
interface NameRule {
  readonly max: number;
  /** Characters outside this class are replaced with "-". */
  readonly allowed: RegExp;
  readonly lowercase: boolean;
}

const ALPHANUM_HYPHEN = /[^A-Za-z0-9-]/g;

export const NAME_RULES = {
  /** ALB: 32, letters, digits, hyphens; no leading/trailing hyphen. */
  alb: { max: 32, allowed: ALPHANUM_HYPHEN, lowercase: true },
  targetGroup: { max: 32, allowed: ALPHANUM_HYPHEN, lowercase: true },
  /** S3: 3-63, lowercase letters, digits, hyphens (dots avoided: they break TLS wildcard certs). */
  s3Bucket: { max: 63, allowed: /[^a-z0-9-]/g, lowercase: true },
  iamRole: { max: 64, allowed: /[^\w+=,.@-]/g, lowercase: false },
  iamPolicy: { max: 128, allowed: /[^\w+=,.@-]/g, lowercase: false },
  logGroup: { max: 512, allowed: /[^\w.\-/#]/g, lowercase: false },
  ecrRepository: { max: 256, allowed: /[^a-z0-9._/-]/g, lowercase: true },
  ecsCluster: { max: 255, allowed: /[^\w-]/g, lowercase: false },
  ecsService: { max: 255, allowed: /[^\w-]/g, lowercase: false },
  taskFamily: { max: 255, allowed: /[^\w-]/g, lowercase: false },
  securityGroup: { max: 255, allowed: /[^\w .\-:/()#,@[\]+=&;{}!$*]/g, lowercase: false },
  snsTopic: { max: 256, allowed: /[^\w-]/g, lowercase: false },
  secret: { max: 512, allowed: /[^\w/+=.@-]/g, lowercase: false },
  kmsAlias: { max: 250, allowed: /[^\w/-]/g, lowercase: false },
  codePipeline: { max: 100, allowed: /[^\w.@-]/g, lowercase: false },
  codeBuild: { max: 150, allowed: /[^\w-]/g, lowercase: false },
  codeCommit: { max: 100, allowed: /[^\w.-]/g, lowercase: false },
  eventRule: { max: 64, allowed: /[^\w.-]/g, lowercase: false },
  alarm: { max: 255, allowed: /[^\w .\-/]/g, lowercase: false },
  dashboard: { max: 255, allowed: /[^\w-]/g, lowercase: false },
  wafAcl: { max: 128, allowed: /[^\w-]/g, lowercase: false },
  amplifyApp: { max: 255, allowed: /[^\w-]/g, lowercase: false },
  notificationRule: { max: 64, allowed: /[^\w-]/g, lowercase: false },
  generic: { max: 255, allowed: /[^\w-]/g, lowercase: false },
} as const satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

const HASH_LENGTH = 6;

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, HASH_LENGTH);
}

/** Fits `text` to a rule: sanitize, then cut and hash-suffix if too long. */
export function fitName(text: string, kind: NameKind): string {
  const rule: NameRule = NAME_RULES[kind];
  let name = rule.lowercase ? text.toLowerCase() : text;
  name = name
    .replace(rule.allowed, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  if (name.length <= rule.max) return name;
  const head = name.slice(0, rule.max - HASH_LENGTH - 1).replace(/[-_.]+$/, "");
  return `${head}-${shortHash(text)}`;
}

/**
 * The one source of physical names: `<project>-<env>-<component>` (or `<project>-<component>`
 * for shared resources), fitted to the limits of each kind of AWS resource.
 */
export class Naming {
  constructor(
    readonly project: string,
    /** Environment name; undefined for shared (non-environment) resources. */
    readonly environment?: string,
  ) {}

  /** The name of a component, e.g. `name("api", "targetGroup")` -> `acme-shop-staging-api`. */
  name(component: string, kind: NameKind = "generic"): string {
    const parts = [this.project, this.environment, component].filter(
      (p) => p !== undefined && p !== "",
    );
    return fitName(parts.join("-"), kind);
  }

  /** A bucket name, made globally unique with the account id. */
  bucket(component: string, accountId: string): string {
    return fitName(`${this.name(component, "generic")}-${accountId}`, "s3Bucket");
  }

  /** `alias/<project>-<env>-<component>` */
  kmsAlias(component: string): string {
    return `alias/${fitName(this.name(component), "kmsAlias")}`;
  }

  /** ECR repositories group by project: `<project>/<service>`. */
  ecrRepository(service: string): string {
    return fitName(`${this.project}/${service}`, "ecrRepository");
  }

  /** The same naming for another environment (or for shared resources when undefined). */
  forEnvironment(environment?: string): Naming {
    return new Naming(this.project, environment);
  }
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * The ARN of a role named in advance in an environment's account (execution roles, deploy
 * roles): other stacks grant it access before the role exists, without a cross-stack reference.
 */
export function environmentRoleArn(
  config: PlatformConfig,
  environment: string,
  roleName: string,
): string {
  const env = config.environments[environment];
  if (!env) throw new Error(`unknown environment ${environment}`);
  return roleArn(env.accountId, roleName);
}
