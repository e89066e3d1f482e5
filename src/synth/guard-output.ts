import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformConfig } from "../config";
import { formatErrors, writeReport } from "../policies/guard/report";
import { guardOptionsFromConfig, runGuards, type GuardReport } from "../policies/guard/runner";
import type { SynthesizedStackJson } from "../policies/guard/types";

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string }>;
}

/** Stack id -> synthesized JSON, for every stack in `<outdir>/manifest.json`. */
export function readSynthesizedStacks(outdir: string): Record<string, SynthesizedStackJson> {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
  const stacks: Record<string, SynthesizedStackJson> = {};
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    stacks[id] = JSON.parse(
      readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"),
    ) as SynthesizedStackJson;
  }
  return stacks;
}

export interface GuardOutcome {
  readonly report: GuardReport;
  /** An error-level finding is left after suppressions. */
  readonly failed: boolean;
  /** For stderr when failed: every error with rule id, stack, address, what and how to fix. */
  readonly errors: string;
  /** One line for stdout. */
  readonly summary: string;
}

/**
 * Runs the guard rules on a synthesized output directory and writes guard-report.json/.md into
 * it. The caller decides what a failure means (run-synth discards the staging directory).
 */
export function guardOutdir(outdir: string, config: PlatformConfig): GuardOutcome {
  const report = runGuards(readSynthesizedStacks(outdir), guardOptionsFromConfig(config));
  writeReport(outdir, report);
  const { error, warning, suppressed } = report.counts;
  return {
    report,
    failed: error > 0,
    errors: formatErrors(report),
    summary:
      `Guard rules: ${error} errors, ${warning} warnings, ${suppressed} suppressed ` +
      `(see guard-report.md)\n`,
  };
}
