import { readFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  configFields,
  configReference,
  platformJsonSchema,
} from "../../tools/docs/config-reference";
import { currentReferenceBlock, replaceReferenceBlock } from "../../tools/docs/reference-block";
import { readSchemaDocs } from "../../tools/docs/schema-docs";

type JsonSchema = z.core.JSONSchema.JSONSchema;

const README = join(__dirname, "..", "..", "docs", "configuration.md");

interface Leaf {
  /** With `<*>` for map keys. */
  readonly path: string;
  readonly variant?: string;
  readonly node: JsonSchema;
}

function sub(node: z.core.JSONSchema._JSONSchema | undefined): JsonSchema | undefined {
  return typeof node === "object" ? node : undefined;
}

/** Every leaf of the JSON Schema, walked here independently of the generator. */
function leaves(node: JsonSchema, path: string, variant?: string): Leaf[] {
  if (node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => {
      const s = sub(child);
      return s ? leaves(s, path ? `${path}.${key}` : key, variant) : [];
    });
  }
  if (node.oneOf) {
    const variants = node.oneOf;
    const discriminator = Object.keys(variants[0].properties ?? {}).find((k) =>
      variants.every((v) => sub(v.properties?.[k])?.const !== undefined),
    );
    expect(discriminator, `${path} is a union without a discriminator`).toBeDefined();
    const d = discriminator ?? "";
    return [
      { path: `${path}.${d}`, node: sub(variants[0].properties?.[d]) ?? {} },
      ...variants.flatMap((v) => {
        const value = String(sub(v.properties?.[d])?.const);
        const rest = Object.fromEntries(
          Object.entries(v.properties ?? {}).filter(([k]) => k !== d),
        );
        return leaves({ properties: rest }, path, `${d}: ${value}`);
      }),
    ];
  }
  const items = sub(Array.isArray(node.items) ? undefined : node.items);
  if (items?.properties) return leaves(items, `${path}[]`, variant);
  const values = sub(node.additionalProperties);
  if (values?.properties) return leaves(values, `${path}.<*>`, variant);
  return [{ path, ...(variant ? { variant } : {}), node }];
}

interface Row {
  readonly path: string;
  readonly variant?: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
  readonly validation: string;
}

/** The field table's rows, read back from the Markdown. */
function tableRows(markdown: string): Row[] {
  return markdown
    .split("\n")
    .filter((line) => line.startsWith("| `") && / \| /.test(line))
    .map((line) =>
      line
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((c) => c.trim()),
    )
    .filter((cells) => cells.length === 5)
    .map(([field, type, def, description, validation]) => {
      const m = /^`([^`]+)`(?: \(`([^`]+)`\))?$/.exec(field);
      if (!m) throw new Error(`unexpected field cell ${field}`);
      return {
        path: m[1],
        ...(m[2] ? { variant: m[2] } : {}),
        type,
        default: def,
        description,
        validation,
      };
    });
}

function pattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/<\\\*>/g, "<\\w+>");
  return new RegExp(`^${escaped}$`);
}

const reference = configReference();
const rows = tableRows(reference);
const schema = platformJsonSchema();

function row(path: string, variant?: string): Row {
  const found = rows.filter(
    (r) => r.path === path && (variant === undefined || r.variant === variant),
  );
  expect(found, `${path}${variant ? ` (${variant})` : ""}`).toHaveLength(1);
  return found[0];
}

describe("configuration reference", () => {
  it("lists every leaf field of the schema, union fields with their variant", () => {
    const all = leaves(schema, "");
    expect(all.length).toBeGreaterThan(80);
    const missing = all.filter(
      (leaf) =>
        !rows.some(
          (r) => pattern(leaf.path).test(r.path) && (r.variant ?? "") === (leaf.variant ?? ""),
        ),
    );
    expect(missing.map((l) => `${l.path} ${l.variant ?? ""}`.trim())).toEqual([]);
    expect(reference).toContain("`environments.<name>.network.vpcCidr`");
    expect(row("pipeline.configSource.connectionArn", "type: github").default).toBe("required");
  });

  it("shows the schema's defaults", () => {
    expect(row("environments.<name>.network.subnetNewBits").default).toBe("`4`");
    expect(row("pipeline.approvalTimeoutMinutes").default).toBe("`1440`");
    expect(row("pipeline.sourceImageTag").default).toBe('`"release"`');
    expect(row("services[].cpu").default).toBe("`256`");
    expect(row("pipeline.promotion").default).toBe('`["staging", "production"]`');
    expect(row("pipeline.configSource.branch", "type: github").default).toBe('`"main"`');
    expect(row("services[].name").default).toBe("required");
    expect(row("environments.<name>.network.natGateways").default).toBe(
      '"per-az" in production, else "single"',
    );
    // Every scalar default, checked against the JSON Schema walked above.
    for (const leaf of leaves(schema, "")) {
      const value = leaf.node.default;
      if (value === undefined || typeof value === "object") continue;
      const r = rows.find((x) => pattern(leaf.path).test(x.path) && x.variant === leaf.variant);
      expect(r?.default, leaf.path).toBe(`\`${JSON.stringify(value)}\``);
    }
  });

  it("agrees with the JSDoc @default of every field that states a literal", () => {
    const checked = configFields().filter((f) => {
      if (f.docDefault === undefined || f.docDefault.startsWith("-")) return false;
      try {
        JSON.parse(f.docDefault);
        return true;
      } catch {
        return false;
      }
    });
    expect(checked.length).toBeGreaterThan(20);
    for (const f of checked) {
      expect(f.schemaDefault, `${f.path}: JSDoc @default without a schema default`).toBeDefined();
      expect(f.schemaDefault?.value, f.path).toEqual(JSON.parse(f.docDefault ?? ""));
    }
  });

  it("takes descriptions and messages from the schema source, following identifiers", () => {
    const vpc = row("environments.<name>.network.vpcCidr");
    expect(vpc.validation).toContain("must be an IPv4 CIDR like 10.0.0.0/16");
    expect(row("project").validation).toContain("project must be at most 20 characters");
    expect(row("environments").validation).toContain(
      "environment names must be at most 12 characters",
    );
    expect(row("environments.<name>.services.<service>.cpu").description).toBe(
      "Fargate CPU units.",
    );
    expect(row("services[].environment").validation).toContain("looks like a secret");
    expect(row("state").validation).toBe('state.backend must be "s3" or "hcp"');
    expect(row("environments.<name>.region").type).toBe("AWS region (commercial partition)");
    expect(row("environments.<name>.network.subnetNewBits").description).toMatch(/^Bits added/);
  });

  it("documents the rules across fields and the Fargate sizes from FARGATE_SIZES", () => {
    expect(reference).toContain("**Rules across fields**");
    expect(reference).toMatch(/\| 512 +\| 0\.5 +\| 1024-4096 in steps of 1024 +\|/);
    expect(reference).toMatch(/\| 256 +\| 0\.25 +\| 512, 1024, 2048 +\|/);
  });

  it("fails loudly for an object schema it cannot find in the source", () => {
    expect(() => readSchemaDocs().objectWithKeys(["nope"])).toThrow(/exactly the keys nope/);
  });

  it("is already in prettier's format", async () => {
    const options = (await resolveConfig(README)) ?? {};
    expect(await format(reference, { ...options, parser: "markdown" })).toBe(reference);
  });

  it("is current in docs/configuration.md", () => {
    const readme = readFileSync(README, "utf8");
    expect(
      currentReferenceBlock(readme) === reference.trim(),
      "docs/configuration.md is stale: run `npm run docs:config` and commit it",
    ).toBe(true);
  });

  it("replaces only the block between the markers", () => {
    const readme =
      "# T\n\n<!-- config-reference:start -->\nold\n<!-- config-reference:end -->\n\n## Next\n";
    expect(replaceReferenceBlock(readme, "new\n")).toBe(
      "# T\n\n<!-- config-reference:start -->\n\nnew\n\n<!-- config-reference:end -->\n\n## Next\n",
    );
    expect(() => replaceReferenceBlock("# T\n", "new")).toThrow(/needs the markers/);
  });
});
