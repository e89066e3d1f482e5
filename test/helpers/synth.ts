import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { buildApp } from "../../src/app";
import type { PlatformConfig } from "../../src/config";
import {
  filesUnder,
  readCachedSynth,
  synthInputsHash,
  writeCachedSynth,
  type CachedSynth,
} from "./synth-disk-cache";

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
 * isolation, see vitest.config.ts) and kept on disk between runs (synth-disk-cache.ts): the same
 * config is synthesized once, and each caller still gets its own parsed copy to read or change.
 */
const synthesized = new Map<string, CachedSynth>();

/**
 * What the loaded sources hash to, taken when this module is evaluated: after src/ loaded, and
 * again whenever watch mode reloads it for a change to src/ (synth-disk-cache.ts explains).
 */
const INPUTS = synthInputsHash();

/** Runs a real `app.synth()` (the only way cross-stack references get wired) into `outdir`. */
function synthInto(config: PlatformConfig, outdir: string): CachedSynth {
  buildApp(config, { outdir }).synth();
  const manifest = readFileSync(join(outdir, "manifest.json"), "utf8");
  const text: Record<string, string> = {};
  const stackPaths = new Set<string>();
  for (const [id, entry] of Object.entries((JSON.parse(manifest) as Manifest).stacks)) {
    text[id] = readFileSync(join(outdir, entry.synthesizedStackPath), "utf8");
    stackPaths.add(join(entry.synthesizedStackPath));
  }
  // The cache keeps the manifest and the stacks: a file synth writes besides them (a cdktf asset)
  // would be missing from kept synths, so it fails here instead.
  const others = filesUnder(outdir)
    .map((path) => relative(outdir, path))
    .filter((p) => p !== "manifest.json" && !stackPaths.has(p));
  if (others.length > 0) {
    throw new Error(`synth wrote files the synth cache does not keep: ${others.join(", ")}`);
  }
  return { manifest, text };
}

/** Writes a stored synth out as cdktf did: manifest.json and each stack's cdk.tf.json. */
function writeOutdir(stored: CachedSynth, outdir: string): void {
  const write = (path: string, data: string) => {
    mkdirSync(dirname(join(outdir, path)), { recursive: true });
    writeFileSync(join(outdir, path), data);
  };
  write("manifest.json", stored.manifest);
  for (const [id, entry] of Object.entries((JSON.parse(stored.manifest) as Manifest).stacks)) {
    write(entry.synthesizedStackPath, stored.text[id]);
  }
}

/**
 * The synthesized stacks of `config`. With `keep`, they are also in a fresh folder (`outdir`)
 * laid out as cdktf writes it, for tests that run scripts or terraform on it; the caller removes
 * it.
 */
export function synthApp(config: PlatformConfig, keep = false): SynthesizedApp {
  const key = JSON.stringify(config);
  let stored = synthesized.get(key) ?? readCachedSynth(INPUTS, key);
  const outdir = keep || !stored ? mkdtempSync(join(tmpdir(), "platform-synth-")) : "";
  try {
    if (!stored) {
      stored = synthInto(config, outdir);
      writeCachedSynth(INPUTS, key, stored);
    } else if (keep) {
      writeOutdir(stored, outdir);
    }
    synthesized.set(key, stored);
  } finally {
    if (outdir && !keep) rmSync(outdir, { recursive: true, force: true });
  }
  return {
    text: { ...stored.text },
    stacks: Object.fromEntries(
      Object.entries(stored.text).map(([id, text]) => [id, JSON.parse(text) as StackJson]),
    ),
    dependencies: Object.fromEntries(
      Object.entries((JSON.parse(stored.manifest) as Manifest).stacks).map(([id, entry]) => [
        id,
        entry.dependencies,
      ]),
    ),
    outdir: keep ? outdir : "",
  };
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
