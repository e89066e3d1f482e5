import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../src/app";
import type { PlatformConfig } from "../../src/config";
import { readCachedSynth, writeCachedSynth } from "./synth-disk-cache";

/** A synthesized Terraform JSON document (cdk.tf.json). */
export interface StackJson {
  terraform?: Record<string, unknown> & { backend?: Record<string, Record<string, unknown>> };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  variable?: Record<string, Record<string, unknown>>;
  locals?: Record<string, unknown>;
}

export interface SynthesizedApp {
  /** Stack id -> the stack's cdk.tf.json as text (what cdktf's matchers take). */
  readonly text: Record<string, string>;
  /** Stack id -> parsed JSON. */
  readonly stacks: Record<string, StackJson>;
  /** Stack id -> ids of the stacks it depends on (from manifest.json). */
  readonly dependencies: Record<string, string[]>;
  readonly outdir: string;
}

interface Manifest {
  stacks: Record<string, { synthesizedStackPath: string; dependencies: string[] }>;
}

/**
 * Synthesized texts by config, shared by every test file of a worker (vitest runs files without
 * isolation, see vitest.config.ts): the same config is synthesized once, and each caller still
 * gets its own parsed copy to read or change.
 */
const synthesized = new Map<string, Omit<SynthesizedApp, "stacks">>();

/**
 * Runs a real `app.synth()` (the only way cross-stack references get wired) into a temp dir, reads
 * every stack, then deletes the dir unless `keep` is set (the Terraform tier needs the files).
 */
export function synthApp(config: PlatformConfig, keep = false): SynthesizedApp {
  const key = keep ? undefined : JSON.stringify(config);
  if (key && !synthesized.has(key)) {
    const stored = readCachedSynth(key);
    if (stored) synthesized.set(key, { ...stored, outdir: "" });
  }
  const cached = key ? synthesized.get(key) : undefined;
  if (cached) {
    const stacks = Object.fromEntries(
      Object.entries(cached.text).map(([id, text]) => [id, JSON.parse(text) as StackJson]),
    );
    return {
      ...cached,
      text: { ...cached.text },
      stacks,
      dependencies: structuredClone(cached.dependencies),
    };
  }
  const outdir = mkdtempSync(join(tmpdir(), "platform-synth-"));
  try {
    buildApp(config, { outdir }).synth();
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as Manifest;
    const text: Record<string, string> = {};
    const stacks: Record<string, StackJson> = {};
    const dependencies: Record<string, string[]> = {};
    for (const [id, entry] of Object.entries(manifest.stacks)) {
      text[id] = readFileSync(join(outdir, entry.synthesizedStackPath), "utf8");
      stacks[id] = JSON.parse(text[id]) as StackJson;
      dependencies[id] = entry.dependencies;
    }
    if (key) {
      synthesized.set(key, {
        text: { ...text },
        dependencies: structuredClone(dependencies),
        outdir,
      });
      writeCachedSynth(key, { text, dependencies });
    }
    return { text, stacks, dependencies, outdir };
  } finally {
    if (!keep) rmSync(outdir, { recursive: true, force: true });
  }
}

/** All resources of one Terraform type in a stack: address name -> config. */
export function resourcesOf(
  stack: StackJson,
  type: string,
): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}

/** Sorted `type.name` addresses of a stack's resources: a rename shows up as a diff. */
export function resourceAddresses(stack: StackJson): string[] {
  return Object.entries(stack.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}
