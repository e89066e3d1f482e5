import { platformRoles } from "../iam/roles";
import type { Provision, Runbook } from "../model/runbook";
import type { SynthOutput } from "../synth/output";
import { ResolvedApp, type ResourceRef } from "../synth/resolve";
import { REHEARSAL_RULES } from "./rules";
import { runbookFindings } from "./runbook-coverage";
import type { RehearsalFinding, RehearsalRule, StepContext } from "./types";

export interface RehearsalResult {
  readonly findings: readonly RehearsalFinding[];
  /** Stacks in the order the rehearsal applied them. */
  readonly order: readonly string[];
  readonly rules: readonly string[];
}

/**
 * Walks the runbook over the synthesized output: at each apply step every rule checks the stack
 * against what earlier steps created and operators provided; then the stack counts as applied
 * and an operator step's provisions as provided.
 */
export async function rehearse(
  output: SynthOutput,
  runbook: Runbook,
  rules: readonly RehearsalRule[] = REHEARSAL_RULES,
): Promise<RehearsalResult> {
  const app = new ResolvedApp(output);
  const roles = platformRoles(app);
  const byArn = new Map<string, ResourceRef>();
  for (const stack of app.stackIds) {
    for (const ref of app.resources(stack)) byArn.set(app.attribute(ref, "arn"), ref);
  }
  const findings: RehearsalFinding[] = [...runbookFindings(output, runbook)];
  const applied: string[] = [];
  const provided: Provision[] = [];
  for (const step of runbook.steps) {
    if (step.kind === "operator") {
      provided.push(...step.provides);
      continue;
    }
    if (!(step.stack in output.stacks)) continue; // runbookFindings reports it
    const context: StepContext = {
      app,
      runbook,
      step,
      applied: [...applied],
      provided: [...provided],
      roles,
      existsFor: (resource, by) =>
        applied.includes(resource.stack) ||
        (resource.stack === by.stack && app.ordersBefore(by, resource)),
      resourceByArn: (arn) => byArn.get(arn),
    };
    for (const rule of rules) findings.push(...(await rule.check(context)));
    applied.push(step.stack);
  }
  return { findings, order: applied, rules: rules.map((r) => r.id) };
}
