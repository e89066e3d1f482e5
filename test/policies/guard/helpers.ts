import { Testing, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { guardRule } from "../../../src/policies/guard/rules";
import type {
  Block,
  GuardContext,
  SynthesizedStackJson,
  Violation,
} from "../../../src/policies/guard/types";

export const CONTEXT: GuardContext = {
  stackId: "test",
  productionEnvironments: ["production"],
  production: false,
};

/** A minimal hand-written stack: type -> name -> block. */
export function stackOf(
  resource: Record<string, Record<string, Block>>,
  extra: Partial<SynthesizedStackJson> = {},
): SynthesizedStackJson {
  return { resource, ...extra };
}

/** Synthesizes real constructs (no terraform needed) and parses the stack JSON. */
export function synthJson(build: (scope: Construct) => void): SynthesizedStackJson {
  return JSON.parse(Testing.synthScope(build)) as SynthesizedStackJson;
}

/**
 * Synthesizes a stack keeping cdktf's `//` metadata, where suppressGuard records suppressions, as
 * `app.synth()` writes it (Testing.synth strips `//`).
 */
export function synthStack(build: (stack: TerraformStack) => void): SynthesizedStackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  build(stack);
  return JSON.parse(JSON.stringify(stack.toTerraform())) as SynthesizedStackJson;
}

/** What one rule reports on a stack. */
export function check(
  ruleId: string,
  stack: SynthesizedStackJson,
  context: Partial<GuardContext> = {},
): Violation[] {
  const rule = guardRule(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return [...rule.check(stack, { ...CONTEXT, ...context })];
}

/** Addresses one rule flags. */
export function flagged(
  ruleId: string,
  stack: SynthesizedStackJson,
  context: Partial<GuardContext> = {},
): string[] {
  return check(ruleId, stack, context).map((v) => v.address);
}

/** A policy string as renderPolicy writes it. */
export function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
