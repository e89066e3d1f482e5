import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The synthesized output as the operator tools (synth summary, diagram, CI stack order) read it:
 * `manifest.json` plus each stack's `cdk.tf.json`. Reading the files, not the app, keeps these
 * tools working for every stack that exists now or is added later.
 */

/** A synthesized Terraform JSON document, loosely typed: tools read only what they need. */
export interface StackDocument {
  readonly terraform?: {
    readonly backend?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    readonly cloud?: Readonly<Record<string, unknown>>;
    readonly [key: string]: unknown;
  };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

export interface SynthStack {
  readonly id: string;
  /** Ids of the stacks this one reads through remote state (manifest `dependencies`). */
  readonly dependencies: readonly string[];
  readonly document: StackDocument;
}

export interface SynthOutput {
  /** Stack id -> stack, in manifest order. */
  readonly stacks: Readonly<Record<string, SynthStack>>;
  /** Per-stack guard finding counts from `guard-report.json`, when the guard wrote one. */
  readonly guardFindings?: Readonly<Record<string, GuardCount>>;
}

export interface GuardCount {
  readonly errors: number;
  readonly warnings: number;
}

interface ManifestFile {
  readonly stacks: Record<
    string,
    { readonly synthesizedStackPath: string; readonly dependencies?: readonly string[] }
  >;
}

export const GUARD_REPORT_FILE = "guard-report.json";

/** Reads `<outdir>/manifest.json`, every stack it lists, and `guard-report.json` if present. */
export function readSynthOutput(outdir: string): SynthOutput {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} not found: run \`npm run synth\` first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as ManifestFile;
  const stacks: Record<string, SynthStack> = {};
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    stacks[id] = {
      id,
      dependencies: entry.dependencies ?? [],
      document: JSON.parse(
        readFileSync(join(outdir, entry.synthesizedStackPath), "utf8"),
      ) as StackDocument,
    };
  }
  const reportPath = join(outdir, GUARD_REPORT_FILE);
  const guardFindings = existsSync(reportPath)
    ? guardCounts(JSON.parse(readFileSync(reportPath, "utf8")) as unknown)
    : undefined;
  return { stacks, ...(guardFindings ? { guardFindings } : {}) };
}

/**
 * Unsuppressed findings per stack from a guard report (`findings: [{ stackId, severity }]`).
 * Read defensively: an unexpected shape yields no counts rather than a crash of the summary.
 */
export function guardCounts(report: unknown): Record<string, GuardCount> | undefined {
  const findings = (report as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) return undefined;
  const counts: Record<string, { errors: number; warnings: number }> = {};
  for (const finding of findings as { stackId?: unknown; severity?: unknown }[]) {
    if (typeof finding?.stackId !== "string") continue;
    const count = (counts[finding.stackId] ??= { errors: 0, warnings: 0 });
    if (finding.severity === "error") count.errors++;
    else count.warnings++;
  }
  return counts;
}

/** Every resource of a stack as [type, name, config]. */
export function resourcesIn(document: StackDocument): [string, string, Record<string, unknown>][] {
  return Object.entries(document.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(
      ([name, config]) => [type, name, config] as [string, string, Record<string, unknown>],
    ),
  );
}

/** Where a stack keeps its state, as a short label: `s3 <key>`, `hcp <workspace>` or `local`. */
export function backendLabel(document: StackDocument): string {
  const backend = document.terraform?.backend ?? {};
  const s3 = backend.s3;
  if (s3) return `s3 ${String(s3.key)}`;
  const cloud = document.terraform?.cloud;
  const workspaces = (cloud?.workspaces ?? backend.remote?.workspaces) as
    { name?: unknown } | undefined;
  if (cloud || backend.remote) return `hcp ${String(workspaces?.name ?? "(tagged)")}`;
  if (backend.local || Object.keys(backend).length === 0) return "local";
  return Object.keys(backend)[0];
}

/**
 * Whether CI deploys the stack: only stacks with remote state. A local backend marks a bootstrap
 * stack (`state`), applied once by hand from a workstation: a CI runner's disk is thrown away.
 */
export function deployedByCi(document: StackDocument): boolean {
  return backendLabel(document) !== "local";
}
