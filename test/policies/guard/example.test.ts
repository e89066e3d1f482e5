import { describe, expect, it } from "vitest";
import { guardOptionsFromConfig, runGuards } from "../../../src/policies/guard/runner";
import { SHIPPED_CONFIGS } from "../../helpers/shipped-configs";
import { synthApp } from "../../helpers/synth";

/* Synth fails on an error-level guard finding: every shipped configuration must pass them all. */
for (const [name, make] of Object.entries(SHIPPED_CONFIGS)) {
  describe(`guard rules on the ${name} config`, () => {
    const config = make();
    const app = synthApp(config);
    const report = runGuards(app.stacks, guardOptionsFromConfig(config));

    it("checks every synthesized stack", () => {
      expect(report.stacks).toEqual(Object.keys(app.stacks).sort());
    });

    it("has no error-level finding", () => {
      const errors = report.findings
        .filter((f) => f.severity === "error")
        .map((f) => `${f.ruleId} ${f.stackId} ${f.address}: ${f.message}`);
      expect(errors).toEqual([]);
    });

    it("every suppression has a reason and still suppresses something", () => {
      for (const s of report.suppressions) {
        expect(s.reason.length, `${s.ruleId} on ${s.address}`).toBeGreaterThan(10);
        expect(s.used, `${s.ruleId} on ${s.address} no longer matches a finding`).toBe(true);
      }
    });
  });
}
