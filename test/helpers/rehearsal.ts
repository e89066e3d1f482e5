import type { PlatformConfig } from "../../src/config";
import { firstDeployRunbook, type Runbook } from "../../src/model/runbook";
import { rehearse, type RehearsalResult } from "../../src/rehearsal/run";
import type { RehearsalRule } from "../../src/rehearsal/types";
import type { StackDocument, SynthOutput } from "../../src/synth/output";
import { synthApp } from "./synth";

/** A config synthesized by a real app.synth(), as the rehearsal reads it (manifest and stacks). */
export function synthOutput(config: PlatformConfig): SynthOutput {
  const app = synthApp(config);
  return {
    stacks: Object.fromEntries(
      Object.entries(app.stacks).map(([id, document]) => [
        id,
        { id, dependencies: app.dependencies[id] ?? [], document: document as StackDocument },
      ]),
    ),
  };
}

/** Rehearses a config's synthesized output with its own runbook (or `edit` of it). */
export async function rehearseConfig(
  config: PlatformConfig,
  edit?: (runbook: Runbook) => Runbook,
): Promise<RehearsalResult> {
  const runbook = firstDeployRunbook(config);
  return rehearse(synthOutput(config), edit ? edit(runbook) : runbook);
}

/** A synthesized output built by hand: stack id -> document (and its dependencies). */
export function fixtureOutput(
  stacks: Record<string, StackDocument & Record<string, unknown>>,
  dependencies: Record<string, string[]> = {},
): SynthOutput {
  return {
    stacks: Object.fromEntries(
      Object.entries(stacks).map(([id, document]) => [
        id,
        { id, dependencies: dependencies[id] ?? [], document },
      ]),
    ),
  };
}

/** One provider block for `account` in eu-west-1. */
export function provider(account: string, extra: Record<string, unknown> = {}) {
  return { aws: [{ region: "eu-west-1", allowed_account_ids: [account], ...extra }] };
}

/** Rehearses a fixture with one rule; findings of that rule only. */
export async function ruleFindings(
  rule: RehearsalRule,
  output: SynthOutput,
  runbook: Runbook,
): Promise<RehearsalResult["findings"]> {
  const result = await rehearse(output, runbook, [rule]);
  return result.findings.filter((f) => f.rule === rule.id);
}

/** An administrator apply step (no CI role checks). */
export function adminStep(stack: string, accountId = "111111111111") {
  return {
    kind: "apply" as const,
    stack,
    accountId,
    region: "eu-west-1",
    firstApply: "administrator" as const,
    laterApply: "administrator" as const,
    githubToken: false,
  };
}
