import { applySteps, type Runbook } from "../model/runbook";
import type { SynthOutput } from "../synth/output";
import type { RehearsalFinding } from "./types";

export const RUNBOOK_COVERS_STACKS = "RUNBOOK_COVERS_STACKS";

/**
 * The runbook itself: every synthesized stack is applied exactly once, and after every stack it
 * reads through remote state (Terraform fails to read an output whose state does not exist yet).
 */
export function runbookFindings(output: SynthOutput, runbook: Runbook): RehearsalFinding[] {
  const findings: RehearsalFinding[] = [];
  const order = applySteps(runbook).map((s) => s.stack);
  const report = (stack: string, effect: string, fix: string) =>
    findings.push({ rule: RUNBOOK_COVERS_STACKS, stack, address: "", effect, fix });
  for (const stack of Object.keys(output.stacks)) {
    const count = order.filter((s) => s === stack).length;
    if (count === 0) {
      report(
        stack,
        "the stack is never applied: nothing creates its resources",
        "add it to the runbook (src/model/runbook.ts)",
      );
    } else if (count > 1) {
      report(stack, `the stack is applied ${count} times in the runbook`, "apply each stack once");
    }
  }
  for (const stack of order) {
    if (!(stack in output.stacks)) {
      report(
        stack,
        "the runbook applies a stack that was not synthesized",
        "remove the step or synthesize the stack",
      );
      continue;
    }
    for (const producer of output.stacks[stack].dependencies) {
      if (!order.includes(producer)) continue;
      if (order.indexOf(producer) > order.indexOf(stack)) {
        report(
          stack,
          `reads ${producer}'s outputs, but ${producer} is applied later: terraform fails reading a state that does not exist`,
          `apply ${producer} before ${stack}`,
        );
      }
    }
  }
  return findings;
}
