import type { SynthOutput } from "./output";

/*
 * Reads the synthesized stacks as AWS would see them after apply: every `${...}` reference
 * resolved to a concrete value (ARNs built the way AWS builds them, names from the resource's
 * own configuration), following cross-stack references through `terraform_remote_state` to the
 * producer's output. Values AWS generates (key ids, secret suffixes) become stable stand-ins, so a
 * key referenced from two stacks resolves to the same ARN in both. Used by the rehearsal and the
 * IAM simulation, which must reason about ARNs, not Terraform expressions.
 */

/** A resource's configuration as synthesized. */
export type ResourceConfig = Record<string, unknown>;

export interface ResourceRef {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly config: ResourceConfig;
}

/** `type.name` */
export function addressOf(ref: { type: string; name: string }): string {
  return `${ref.type}.${ref.name}`;
}

/** Where an AWS provider block sends requests. */
export interface ProviderTarget {
  /** `aws` or `aws.<alias>` */
  readonly key: string;
  readonly accountIds: readonly string[];
  readonly region?: string;
  readonly assumeRoleArn?: string;
}

interface LooseDocument {
  readonly provider?: Record<string, Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, ResourceConfig>>;
  readonly data?: Record<string, Record<string, ResourceConfig>>;
  readonly output?: Record<string, { value?: unknown }>;
  readonly terraform?: Record<string, unknown>;
}

const REFERENCE = /\$\{([^{}]+)\}/g;

/** The synthesized output with references resolved. */
export class ResolvedApp {
  readonly stackIds: readonly string[];
  private readonly docs: Record<string, LooseDocument>;

  constructor(readonly output: SynthOutput) {
    this.stackIds = Object.keys(output.stacks);
    this.docs = Object.fromEntries(
      Object.entries(output.stacks).map(([id, s]) => [id, s.document as LooseDocument]),
    );
  }

  document(stack: string): LooseDocument {
    const doc = this.docs[stack];
    if (!doc) throw new Error(`no stack ${stack} in the synthesized output`);
    return doc;
  }

  /** Every AWS provider block of a stack. */
  providers(stack: string): ProviderTarget[] {
    return (this.document(stack).provider?.aws ?? []).map((p) => {
      const assume = (p.assume_role as { role_arn?: string }[] | undefined)?.[0]?.role_arn;
      return {
        key: typeof p.alias === "string" ? `aws.${p.alias}` : "aws",
        accountIds: (p.allowed_account_ids as string[] | undefined) ?? [],
        region: typeof p.region === "string" ? p.region : undefined,
        assumeRoleArn: assume,
      };
    });
  }

  /** The account and region a resource is created in (from its provider block). */
  placement(ref: ResourceRef): { accountId: string; region: string } {
    const key = typeof ref.config.provider === "string" ? ref.config.provider : "aws";
    const provider = this.providers(ref.stack).find((p) => p.key === key);
    return {
      accountId: provider?.accountIds[0] ?? "000000000000",
      region: provider?.region ?? "us-east-1",
    };
  }

  resources(stack: string, type?: string): ResourceRef[] {
    const all = this.document(stack).resource ?? {};
    return Object.entries(all)
      .filter(([t]) => type === undefined || t === type)
      .flatMap(([t, byName]) =>
        Object.entries(byName).map(([name, config]) => ({ stack, type: t, name, config })),
      );
  }

  /** Resources of a type in every stack. */
  allResources(type: string): ResourceRef[] {
    return this.stackIds.flatMap((id) => this.resources(id, type));
  }

  resource(stack: string, type: string, name: string): ResourceRef | undefined {
    const config = this.document(stack).resource?.[type]?.[name];
    return config ? { stack, type, name, config } : undefined;
  }

  /**
   * What a reference expression points at: a resource attribute, in this stack or (through a
   * remote-state output) in its producer. Undefined for variables, data sources and functions.
   */
  target(stack: string, expression: string): { ref: ResourceRef; attribute: string } | undefined {
    const remote = /^data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (remote) {
      const producer = this.producerOf(stack, remote[1]);
      const value = producer ? this.document(producer).output?.[remote[2]]?.value : undefined;
      const inner = typeof value === "string" ? /^\$\{([^{}]+)\}$/.exec(value) : null;
      return producer && inner ? this.target(producer, inner[1]) : undefined;
    }
    const local = /^(aws_[\w]+)\.([\w-]+)\.([\w]+)$/.exec(expression);
    if (!local) return undefined;
    const ref = this.resource(stack, local[1], local[2]);
    return ref ? { ref, attribute: local[3] } : undefined;
  }

  /** The stack whose state a remote-state data source reads (by S3 key or workspace name). */
  producerOf(stack: string, dataName: string): string | undefined {
    const config = this.document(stack).data?.terraform_remote_state?.[dataName]?.config as
      { key?: string; workspaces?: { name?: string } } | undefined;
    return this.stackIds.find((id) =>
      typeof config?.key === "string"
        ? config.key.endsWith(`/${id}.tfstate`)
        : typeof config?.workspaces?.name === "string" && config.workspaces.name.endsWith(id),
    );
  }

  /** The value of one attribute of a resource after apply (stand-ins for generated ids). */
  attribute(ref: ResourceRef, attribute: string): string {
    const c = ref.config;
    const { accountId, region } = this.placement(ref);
    const str = (key: string) => {
      const v = c[key];
      return typeof v === "string" ? this.resolve(ref.stack, v) : undefined;
    };
    const name =
      str("name") ?? str("bucket") ?? str("repository_name") ?? str("family") ?? str("alarm_name");
    const standIn = `${ref.stack}-${ref.name}`;
    if (attribute === "arn") return this.arnOf(ref, accountId, region, name ?? standIn);
    if (attribute === "repository_url" && ref.type === "aws_ecr_repository") {
      return `${accountId}.dkr.ecr.${region}.amazonaws.com/${name}`;
    }
    if (attribute === "key_id" && ref.type === "aws_kms_key") return standIn;
    // ELB ARN suffixes (`app/<name>/<id>`, `targetgroup/<name>/<id>`), as metrics and ARNs use them.
    if (attribute === "arn_suffix" && ref.type === "aws_lb")
      return `app/${name ?? standIn}/0a1b2c3d4e5f6a7b`;
    if (attribute === "arn_suffix" && ref.type === "aws_lb_target_group") {
      return `targetgroup/${name ?? standIn}/0a1b2c3d4e5f6a7b`;
    }
    if (
      attribute === "name" ||
      attribute === "bucket" ||
      attribute === "repository_name" ||
      attribute === "family" ||
      attribute === "alarm_name"
    ) {
      return str(attribute) ?? name ?? standIn;
    }
    if (attribute === "id") {
      if (ref.type === "aws_kms_key") return standIn;
      if (ref.type === "aws_sns_topic") return this.arnOf(ref, accountId, region, name ?? standIn);
      return name ?? standIn;
    }
    return str(attribute) ?? `${standIn}.${attribute}`;
  }

  private arnOf(ref: ResourceRef, accountId: string, region: string, name: string): string {
    const path = typeof ref.config.path === "string" ? ref.config.path : "/";
    switch (ref.type) {
      case "aws_iam_role":
        return `arn:aws:iam::${accountId}:role${path}${name}`;
      case "aws_iam_policy":
        return `arn:aws:iam::${accountId}:policy${path}${name}`;
      case "aws_iam_openid_connect_provider":
        return `arn:aws:iam::${accountId}:oidc-provider/${String(ref.config.url).replace(/^https:\/\//, "")}`;
      case "aws_kms_key":
        return `arn:aws:kms:${region}:${accountId}:key/${ref.stack}-${ref.name}`;
      case "aws_kms_alias":
        return `arn:aws:kms:${region}:${accountId}:${name}`;
      case "aws_sns_topic":
        return `arn:aws:sns:${region}:${accountId}:${name}`;
      case "aws_s3_bucket":
        return `arn:aws:s3:::${name}`;
      case "aws_ecr_repository":
        return `arn:aws:ecr:${region}:${accountId}:repository/${name}`;
      case "aws_secretsmanager_secret":
        return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-AbCdEf`;
      case "aws_cloudwatch_log_group":
        return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
      case "aws_codepipeline":
        return `arn:aws:codepipeline:${region}:${accountId}:${name}`;
      case "aws_codebuild_project":
        return `arn:aws:codebuild:${region}:${accountId}:project/${name}`;
      case "aws_codecommit_repository":
        return `arn:aws:codecommit:${region}:${accountId}:${name}`;
      case "aws_cloudwatch_metric_alarm":
        return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
      case "aws_cloudwatch_event_rule":
        return `arn:aws:events:${region}:${accountId}:rule/${name}`;
      case "aws_ecs_cluster":
        return `arn:aws:ecs:${region}:${accountId}:cluster/${name}`;
      case "aws_ecs_task_definition":
        return `arn:aws:ecs:${region}:${accountId}:task-definition/${name}:1`;
      default:
        return `arn:aws:${ref.type.replace(/^aws_/, "")}:${region}:${accountId}:${name}`;
    }
  }

  /** A string with every `${...}` it can resolve replaced by the value after apply. */
  resolve(stack: string, text: string): string {
    return text.replace(REFERENCE, (whole, expression: string) => {
      const target = this.target(stack, expression);
      return target ? this.attribute(target.ref, target.attribute) : whole;
    });
  }

  /** A JSON policy attribute, resolved and parsed; undefined when it is not JSON. */
  policy(ref: ResourceRef, attribute: string): PolicyJson | undefined {
    const raw = ref.config[attribute];
    if (typeof raw !== "string") return undefined;
    try {
      return JSON.parse(this.resolve(ref.stack, raw)) as PolicyJson;
    } catch {
      return undefined;
    }
  }

  /**
   * The resource another resource's attribute references (same stack or across stacks), e.g.
   * a topic's `kms_master_key_id` -> the key.
   */
  referenced(ref: ResourceRef, attribute: string): ResourceRef | undefined {
    const value = ref.config[attribute];
    if (typeof value !== "string") return undefined;
    const match = /^\$\{([^{}]+)\}$/.exec(value);
    return match ? this.target(ref.stack, match[1])?.ref : undefined;
  }

  /** Addresses in the same stack a resource waits for: its references and its depends_on. */
  directDependencies(ref: ResourceRef): Set<string> {
    const found = new Set<string>();
    const text = JSON.stringify({ ...ref.config, depends_on: undefined });
    for (const match of text.matchAll(REFERENCE)) {
      const local = /^(aws_[\w]+)\.([\w-]+)(\.|$)/.exec(match[1]);
      if (local) found.add(`${local[1]}.${local[2]}`);
    }
    for (const dep of (ref.config.depends_on as string[] | undefined) ?? []) {
      found.add(dep.replace(/^\$\{|\}$/g, ""));
    }
    return found;
  }

  /** Whether Terraform creates `before` before `after` (same stack, transitively). */
  ordersBefore(after: ResourceRef, before: ResourceRef): boolean {
    if (after.stack !== before.stack) return false;
    const target = addressOf(before);
    const seen = new Set<string>();
    const queue = [...this.directDependencies(after)];
    while (queue.length > 0) {
      const address = queue.pop() as string;
      if (address === target) return true;
      if (seen.has(address)) continue;
      seen.add(address);
      const [type, name] = address.split(/\.(.*)/s);
      const next = this.resource(after.stack, type, name);
      if (next) queue.push(...this.directDependencies(next));
    }
    return false;
  }
}

/** An IAM policy document as JSON (loosely typed: read, never trusted). */
export interface PolicyJson {
  readonly Version?: string;
  readonly Statement: PolicyStatementJson | readonly PolicyStatementJson[];
}

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of a policy as an array. */
export function statementsOf(policy: PolicyJson | undefined): PolicyStatementJson[] {
  if (!policy) return [];
  return Array.isArray(policy.Statement)
    ? [...(policy.Statement as PolicyStatementJson[])]
    : [policy.Statement as PolicyStatementJson];
}
