/**
 * Helpers to read synthesized Terraform JSON: resources by type, addresses, and the `${...}`
 * expressions through which resources reference each other.
 */
import type { Block, SynthesizedStackJson } from "./types";

export interface ResourceEntry {
  readonly type: string;
  readonly name: string;
  /** `type.name` (resources) or `data.type.name` (data sources). */
  readonly address: string;
  readonly block: Block;
}

/** Every resource of the given types (all types when none given). */
export function resources(stack: SynthesizedStackJson, ...types: string[]): ResourceEntry[] {
  return entries(stack.resource, "", types);
}

/** Every data source of the given types. */
export function dataSources(stack: SynthesizedStackJson, ...types: string[]): ResourceEntry[] {
  return entries(stack.data, "data.", types);
}

function entries(
  section: Record<string, Record<string, Block>> | undefined,
  prefix: string,
  types: string[],
): ResourceEntry[] {
  const out: ResourceEntry[] = [];
  for (const [type, byName] of Object.entries(section ?? {})) {
    if (types.length > 0 && !types.includes(type)) continue;
    for (const [name, block] of Object.entries(byName)) {
      out.push({ type, name, address: `${prefix}${type}.${name}`, block });
    }
  }
  return out;
}

/** Terraform JSON nests blocks as objects or one-element arrays; this gives the list either way. */
export function blocks(value: unknown): Block[] {
  if (Array.isArray(value)) return value.filter(isBlock);
  return isBlock(value) ? [value] : [];
}

/** The first nested block (`versioning_configuration`, `network_configuration`, ...). */
export function block(value: unknown): Block | undefined {
  return blocks(value)[0];
}

export function isBlock(value: unknown): value is Block {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for `true` and `"true"` (Terraform accepts both). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** A Terraform expression (`${...}`) rather than a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

const INTERPOLATION = /\$\{([^}]*)\}/g;
const REFERENCE = /(?:^|[^A-Za-z0-9_.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * The addresses a value references: `${aws_s3_bucket.logs.id}` -> `aws_s3_bucket.logs`,
 * `${data.aws_iam_policy_document.x.json}` -> `data.aws_iam_policy_document.x`. Walks nested
 * arrays and objects.
 */
export function references(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(INTERPOLATION)) {
        for (const r of m[1].matchAll(REFERENCE)) {
          if (!/^(var|local|module|each|count|path|self|terraform)\./.test(r[1])) found.add(r[1]);
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isBlock(v)) Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

export function refersTo(value: unknown, address: string): boolean {
  return references(value).has(address);
}

/**
 * The resources of `type` whose `attribute` points at `target`: by reference
 * (`${aws_s3_bucket.x.id}`) or by the target's literal name (`nameAttribute`).
 */
export function relatedResources(
  stack: SynthesizedStackJson,
  type: string,
  attribute: string,
  target: ResourceEntry,
  nameAttribute?: string,
): ResourceEntry[] {
  const literal = nameAttribute ? target.block[nameAttribute] : undefined;
  return resources(stack, type).filter((r) => {
    const value = r.block[attribute];
    if (refersTo(value, target.address)) return true;
    return typeof literal === "string" && !isExpression(literal) && value === literal;
  });
}

/** The tags of the stack's default AWS provider (`default_tags`). */
export function providerDefaultTags(stack: SynthesizedStackJson): Record<string, unknown> {
  const providers = stack.provider?.aws ?? [];
  const main = providers.find((p) => p.alias === undefined) ?? providers[0];
  const tags = block(main?.default_tags)?.tags;
  return isBlock(tags) ? tags : {};
}

/** The `//` metadata cdktf writes next to each resource (and the guard's suppressions). */
export function metadataOf(resourceBlock: Block): Block {
  const meta = resourceBlock["//"];
  return isBlock(meta) ? meta : {};
}

/** Application load balancers (`aws_lb` / `aws_alb` of type application, the default). */
export function applicationLoadBalancers(stack: SynthesizedStackJson): ResourceEntry[] {
  return resources(stack, "aws_lb", "aws_alb").filter(
    (lb) =>
      lb.block.load_balancer_type === undefined || lb.block.load_balancer_type === "application",
  );
}

/**
 * True when the resource belongs to a production environment: its stack's provider is tagged
 * with one, or its own `tags.Environment` names one.
 */
export function isProductionResource(
  entry: ResourceEntry,
  context: { readonly production: boolean; readonly productionEnvironments: readonly string[] },
): boolean {
  if (context.production) return true;
  const tags = entry.block.tags;
  const env = isBlock(tags) ? tags.Environment : undefined;
  return typeof env === "string" && context.productionEnvironments.includes(env);
}
