/**
 * The configuration reference in docs/configuration.md (`npm run docs:config` writes it, a test keeps it
 * current): every field of the platform config with its type, default and validation. Structure,
 * types, defaults and bounds come from the zod schema's JSON Schema; descriptions and validation
 * messages from the schema source (./schema-docs.ts); the Fargate table from FARGATE_SIZES.
 */
import { z } from "zod";
import { AWS_REGIONS, FARGATE_SIZES } from "../../src/config/aws-limits";
import { platformSchema } from "../../src/config/schema/platform";
import { readSchemaDocs, type FieldDoc, type SchemaDocs } from "./schema-docs";

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** One row of the reference. */
export interface ConfigField {
  /** e.g. `environments.<name>.network.vpcCidr`, `services[].cpu`. */
  readonly path: string;
  /** For a field of one variant of a union: the discriminator, e.g. `type: github`. */
  readonly variant?: string;
  /** Markdown. */
  readonly type: string;
  /** Required whenever its parent object is present. */
  readonly required: boolean;
  /** The schema's default (input side), when it has one. */
  readonly schemaDefault?: { readonly value: unknown };
  /** The JSDoc `@default` text. */
  readonly docDefault?: string;
  readonly description: string;
  /** Validation in words. */
  readonly validation: readonly string[];
  /** Not an object, union, list of objects or map of objects (those have rows of their own below). */
  readonly leaf: boolean;
}

/** Map keys are written as `<name>` in paths: `environments.<name>`. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  environments: "name",
  services: "service",
};

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function schemaOf(node: z.core.JSONSchema._JSONSchema | undefined): JsonSchema | undefined {
  return typeof node === "object" ? node : undefined;
}

function isObject(node: JsonSchema): boolean {
  return node.properties !== undefined;
}

function recordValue(node: JsonSchema): JsonSchema | undefined {
  return node.properties === undefined ? schemaOf(node.additionalProperties) : undefined;
}

function arrayItems(node: JsonSchema): JsonSchema | undefined {
  return Array.isArray(node.items) ? undefined : schemaOf(node.items);
}

function isRegionEnum(node: JsonSchema): boolean {
  const values = node.enum ?? [];
  return values.length === AWS_REGIONS.length && AWS_REGIONS.every((r) => values.includes(r));
}

/** The property every variant of a union fixes with `const`. */
function discriminatorOf(variants: readonly JsonSchema[]): string {
  const first = variants[0]?.properties ?? {};
  const key = Object.keys(first).find((k) =>
    variants.every((v) => schemaOf(v.properties?.[k])?.const !== undefined),
  );
  if (key === undefined) throw new Error("a union in the config schema has no discriminator");
  return key;
}

function code(value: unknown): string {
  return `\`${inline(value)}\``;
}

/** A value as it could be written in the YAML config (flow style). */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${inline(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value);
}

function orList(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function typeOf(node: JsonSchema): string {
  if (node.oneOf)
    return `object: ${node.oneOf.length} variants by \`${discriminatorOf(node.oneOf)}\``;
  if (isRegionEnum(node)) return "AWS region (commercial partition)";
  if (node.enum) return orList(node.enum.map(code));
  if (node.const !== undefined) return code(node.const);
  const items = arrayItems(node);
  if (node.type === "array" && items) {
    return `list of ${isObject(items) ? "objects" : plural(typeOf(items))}`;
  }
  const values = recordValue(node);
  if (node.type === "object" && values) return `map of string to ${typeOf(values)}`;
  if (node.format === "email") return "email address";
  return String(node.type ?? "any");
}

function plural(type: string): string {
  if (type === "email address") return "email addresses";
  return /^(string|integer|number|boolean)$/.test(type) ? `${type}s` : type;
}

/** `1-255`, `at least 2`, `at most 20`; undefined when unbounded. */
function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  const lo = min === undefined || min <= -MAX_SAFE ? undefined : min;
  const hi = max === undefined || max >= MAX_SAFE ? undefined : max;
  const units = (n: number) => `${unit}${n === 1 || unit === "" ? "" : "s"}`;
  const suffix = (n: number) => (unit ? ` ${units(n)}` : "");
  if (lo !== undefined && hi !== undefined) return `${lo}-${hi}${suffix(hi)}`;
  if (lo !== undefined)
    return lo === 1 && unit === "character" ? "not empty" : `at least ${lo}${suffix(lo)}`;
  if (hi !== undefined) return `at most ${hi}${suffix(hi)}`;
  return undefined;
}

/** Bounds a custom message already states are left out ("at most 20" next to "...at most 20 characters"). */
function mentions(messages: readonly string[], n: number | undefined): boolean {
  if (n === undefined) return false;
  const pattern = new RegExp(`(^|[^\\d])${n}([^\\d]|$)`);
  return messages.some((m) => pattern.test(m));
}

function bounded(
  min: number | undefined,
  max: number | undefined,
  unit: string,
  messages: readonly string[],
): string | undefined {
  const lo = mentions(messages, min) ? undefined : min;
  const hi = mentions(messages, max) ? undefined : max;
  return range(lo, hi, unit);
}

/** Validation of one schema node in words (not its custom messages). */
function constraints(node: JsonSchema, messages: readonly string[]): string[] {
  const out: string[] = [];
  const add = (text: string | undefined) => {
    if (text) out.push(text);
  };
  if (isRegionEnum(node)) {
    add(`one of the ${AWS_REGIONS.length} regions in \`AWS_REGIONS\` (src/config/aws-limits.ts)`);
    return out;
  }
  if (node.type === "string") {
    add(bounded(node.minLength, node.maxLength, "character", messages));
    if (node.pattern && node.format === undefined && messages.length === 0) {
      add(`matches \`${node.pattern}\``);
    }
  }
  if (node.type === "integer" || node.type === "number") {
    if (node.exclusiveMinimum === 0) add("above 0");
    const min = typeof node.minimum === "number" ? node.minimum : undefined;
    const max = typeof node.maximum === "number" ? node.maximum : undefined;
    add(bounded(min, max, "", messages));
  }
  const items = arrayItems(node);
  if (node.type === "array") {
    add(bounded(node.minItems, node.maxItems, "item", messages));
    if (items && !isObject(items)) {
      const each = constraints(items, messages);
      if (each.length > 0) add(`each: ${each.join(", ")}`);
    }
  }
  const values = recordValue(node);
  if (node.type === "object" && values) {
    const keys = schemaOf(node.propertyNames);
    const keyRules = keys ? constraints(keys, messages) : [];
    if (keyRules.length > 0) add(`keys: ${keyRules.join(", ")}`);
    if (!isObject(values)) {
      const valueRules = constraints(values, messages);
      if (valueRules.length > 0) add(`values: ${valueRules.join(", ")}`);
    }
  }
  return out;
}

interface Walk {
  readonly docs: SchemaDocs;
  readonly rows: ConfigField[];
}

function field(
  path: string,
  node: JsonSchema,
  required: boolean,
  doc: FieldDoc | undefined,
  variant: string | undefined,
): ConfigField {
  const errors = doc?.errors ?? [];
  const values = recordValue(node);
  const items = arrayItems(node);
  const leaf =
    !isObject(node) && !node.oneOf && !(items && isObject(items)) && !(values && isObject(values));
  return {
    path,
    ...(variant === undefined ? {} : { variant }),
    type: typeOf(node),
    required,
    ...("default" in node ? { schemaDefault: { value: node.default } } : {}),
    ...(doc?.defaultText === undefined ? {} : { docDefault: doc.defaultText }),
    description: doc?.description ?? "",
    validation: [...constraints(node, errors), ...errors],
    leaf,
  };
}

/** Rows for an object's keys, then for what each key holds. */
function walkObject(walk: Walk, prefix: string, node: JsonSchema, variant?: string): void {
  const properties = node.properties ?? {};
  const keys = Object.keys(properties);
  const object = walk.docs.objectWithKeys(keys);
  for (const key of keys) {
    const child = schemaOf(properties[key]);
    if (!child) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const required = node.required?.includes(key) ?? false;
    walk.rows.push(field(path, child, required, object.fields.get(key), variant));
    walkChild(walk, path, key, child);
  }
}

function walkChild(walk: Walk, path: string, key: string, node: JsonSchema): void {
  if (isObject(node)) {
    walkObject(walk, path, node);
    return;
  }
  if (node.oneOf) {
    walkUnion(walk, path, node.oneOf);
    return;
  }
  const items = arrayItems(node);
  if (node.type === "array" && items && isObject(items)) {
    walkObject(walk, `${path}[]`, items);
    return;
  }
  const values = recordValue(node);
  if (node.type === "object" && values && isObject(values)) {
    walkObject(walk, `${path}.<${PLACEHOLDERS[key] ?? "key"}>`, values);
  }
}

/** A discriminated union: the discriminator's row lists the variants, then each variant's keys. */
function walkUnion(walk: Walk, path: string, variants: readonly JsonSchema[]): void {
  const discriminator = discriminatorOf(variants);
  const described = variants.map((variant) => {
    const value = schemaOf(variant.properties?.[discriminator])?.const;
    const doc = walk.docs.objectWithKeys(Object.keys(variant.properties ?? {}));
    return { value, text: doc.description };
  });
  walk.rows.push({
    path: `${path}.${discriminator}`,
    type: orList(described.map((d) => code(d.value))),
    required: variants.every((v) => v.required?.includes(discriminator)),
    description: described.some((d) => d.text)
      ? described.map((d) => `${code(d.value)}${d.text ? `: ${d.text}` : ""}`).join(" ")
      : "",
    validation: [`selects the variant: only the fields marked with its value below apply`],
    leaf: true,
  });
  for (const variant of variants) {
    const value = schemaOf(variant.properties?.[discriminator])?.const;
    const properties = variant.properties ?? {};
    const doc = walk.docs.objectWithKeys(Object.keys(properties));
    for (const [key, child] of Object.entries(properties)) {
      const node = schemaOf(child);
      if (key === discriminator || !node) continue;
      const required = variant.required?.includes(key) ?? false;
      walk.rows.push(
        field(
          `${path}.${key}`,
          node,
          required,
          doc.fields.get(key),
          `${discriminator}: ${String(value)}`,
        ),
      );
      walkChild(walk, `${path}.${key}`, key, node);
    }
  }
}

/** The platform config's JSON Schema, input side (defaults are optional there). */
export function platformJsonSchema(): JsonSchema {
  return z.toJSONSchema(platformSchema, { io: "input", unrepresentable: "any" });
}

/** Every field of the platform config, in schema order. */
export function configFields(): ConfigField[] {
  const walk: Walk = { docs: readSchemaDocs(), rows: [] };
  walkObject(walk, "", platformJsonSchema());
  return walk.rows;
}

// --- Markdown ---------------------------------------------------------------------------------

/** Escapes what would break a table cell or render as HTML outside code spans. */
function cell(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, "&lt;").replace(/\*/g, "\\*")))
    .join("")
    .replace(/\|/g, "\\|")
    .replace(/\s+/g, " ")
    .trim();
}

function defaultCell(f: ConfigField): string {
  if (f.required) return "required";
  if (f.schemaDefault) {
    const value = f.schemaDefault.value;
    return code(value);
  }
  if (f.docDefault !== undefined) return f.docDefault.replace(/^-\s*/, "");
  return "optional";
}

function fieldCells(f: ConfigField): string[] {
  const name = `\`${f.path}\`${f.variant ? ` (\`${f.variant}\`)` : ""}`;
  return [name, f.type, defaultCell(f), f.description, f.validation.join("; ")].map(cell);
}

/**
 * A Markdown table aligned the way prettier prints it (so `prettier --check README.md` passes):
 * every column padded to its widest cell. Cells are ASCII here, so width is length.
 */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

function fargateTable(): string[] {
  const rows = Object.entries(FARGATE_SIZES)
    .map(([cpu, size]) => ({ cpu: Number(cpu), size }))
    .sort((a, b) => a.cpu - b.cpu)
    .map(({ cpu, size }) => {
      const memory = size.only
        ? size.only.join(", ")
        : `${size.min}-${size.max} in steps of ${size.step}`;
      return [String(cpu), String(cpu / 1024), memory];
    });
  return table(["`cpu`", "vCPU", "`memory` (MiB)"], rows);
}

const RULES: readonly string[] = [
  "`cpu` and `memory` must be a Fargate size (table below), for `services[]` and for every " +
    "`environments.<name>.services.<service>` override merged over its service; " +
    "`minCount` <= `desiredCount` <= `maxCount` likewise.",
  "In an environment with `production: true`, every service runs at least 2 tasks (`minCount` >= 2 after overrides), spread across AZs.",
  "Service `name`s are unique; service `subdomain`s are unique, and an environment's `frontend.subdomain` must not be one of them.",
  "`environments.<name>.services` keys must name services defined in `services`.",
  "`network.availabilityZones` must be AZs of the environment's `region` (`<region>a`, `<region>b`, ...), each listed once.",
  "`network.vpcCidr` must be a /16 to /24; its subnets (`vpcCidr` prefix + `subnetNewBits`) must be /28 or larger, with room for a public and a private subnet per AZ (at most 2^(`subnetNewBits` - 1) AZs).",
  "The VPC CIDRs of all environments must not overlap (so they can be peered).",
  "`pipeline.promotion` names defined environments, each once.",
  "`github.subjectFormat: immutable` needs `github.ids`.",
  "`environments.<name>.frontend` needs `github.frontendRepository` and the top-level `frontend` section.",
  "Each environment has its own `dns.domain`; no environment's domain is a host another environment answers on; a `dns.hostedZoneId` is shared only by environments of one account.",
  "`environments.<name>.deployRoleArn` is a role in that environment's `accountId`; a customer managed policy in `services[].taskRolePolicyArns` is in the account of every environment the service runs in.",
  "Every `pipeline.promotion` environment is in the pipeline's region; a production environment is last in the promotion (only the last waits for the approval), never first.",
  "A production environment keeps its load balancer's WAF and deletion protection.",
  "Services need at most 100 target groups and listener rules per load balancer (a blue/green service two).",
  "A service's secret names and environment variable names (with overrides) differ; its environment variables stay under 48 KiB.",
  "`<environment>-<service>` names are unique within an account (they start every physical name).",
  "`github.applyReviewers` names 1-6 teams and users (or `allowUnreviewedApply: true`); `github.infraApplyEnvironment` does not differ from an environment name only in case.",
  "`services[].blueGreen` applies to `deployment: blue-green` services only.",
];

/**
 * The Markdown configuration reference: a field table, the rules spanning several fields
 * (src/config/validate.ts) and the Fargate sizes. Deterministic: same schema source, same text.
 */
export function configReference(): string {
  const lines = [
    "Every key is checked: unknown keys are errors (a misspelled key never falls back to a " +
      "default), and all problems, per field and across fields, are reported at once. In paths, " +
      "`<name>` and `<service>` stand for a key you choose and `[]` for each list item. A required " +
      "field is required whenever its parent is present. Descriptions and messages come from the " +
      "schema source (src/config/schema/), defaults and bounds from the schema itself.",
    "",
    ...table(
      ["Field", "Type", "Default", "Description", "Validation"],
      configFields().map(fieldCells),
    ),
    "",
    "**Rules across fields** (src/config/validate.ts):",
    "",
    ...RULES.map((rule) => `- ${rule}`),
    "",
    "Fargate sizes (`FARGATE_SIZES` in src/config/aws-limits.ts):",
    "",
    ...fargateTable(),
  ];
  return `${lines.join("\n")}\n`;
}
