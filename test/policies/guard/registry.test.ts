import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GUARD_RULES } from "../../../src/policies/guard/rules";

const ROOT = join(__dirname, "..", "..", "..");

describe("guard rule registry", () => {
  const ids = GUARD_RULES.map((r) => r.id);

  it("ids are unique SCREAMING_SNAKE names with a one-line rationale", () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of GUARD_RULES) {
      expect(rule.id).toMatch(/^[A-Z0-9]+(?:_[A-Z0-9]+)+$/);
      expect(rule.rationale.trim(), rule.id).not.toBe("");
      expect(rule.rationale, rule.id).not.toMatch(/\n/);
    }
  });

  it("every rule file is registered", () => {
    const files = readdirSync(join(ROOT, "src/policies/guard/rules")).filter(
      (f) => f !== "index.ts",
    );
    expect(files).toHaveLength(GUARD_RULES.length);
  });

  it("every rule is exercised by a test in this folder", () => {
    const tests = readdirSync(__dirname)
      .filter((f) => f.endsWith(".test.ts") && f !== "registry.test.ts")
      .map((f) => readFileSync(join(__dirname, f), "utf8"))
      .join("\n");
    expect(ids.filter((id) => !tests.includes(`"${id}"`))).toEqual([]);
  });

  it("every rule is documented in docs/guardrails.md", () => {
    const doc = readFileSync(join(ROOT, "docs/guardrails.md"), "utf8");
    expect(ids.filter((id) => !new RegExp(`\\| \`${id}\` +\\|`).test(doc))).toEqual([]);
  });
});
