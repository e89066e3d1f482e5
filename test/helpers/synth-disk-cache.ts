import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";

/*
 * Synthesized stacks kept between test runs, keyed by the config and by everything synth reads:
 * the product's source (src/), the deploy-config seed it uploads (examples/) and the installed
 * packages (package-lock.json). Any change to one of them is a different key, so a stale entry is
 * never read. Warm runs of the quick loop then skip the synths the unit tier repeats (about 35
 * of them, 20 s of CPU). PLATFORM_SYNTH_CACHE=off turns it off.
 */

const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, "node_modules", ".cache", "platform-synth");

export interface CachedSynth {
  /** manifest.json as cdktf wrote it (stack id -> synthesizedStackPath, dependencies, ...). */
  readonly manifest: string;
  /** Stack id -> the stack's cdk.tf.json as cdktf wrote it. */
  readonly text: Record<string, string>;
  readonly dependencies: Record<string, string[]>;
  /** Every other file synth wrote (assets such as archives), by path, base64. */
  readonly assets: Record<string, string>;
}

/** Changes whenever CachedSynth's shape does: entries of another shape are never read. */
const FORMAT = "3";

let inputsHash: string | undefined;

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** A hash of every file synth's output can depend on, computed once per worker. */
function synthInputsHash(): string {
  if (inputsHash) return inputsHash;
  const hash = createHash("sha256").update(FORMAT).update("\0");
  for (const file of [
    ...filesUnder(join(ROOT, "src")),
    ...filesUnder(join(ROOT, "examples")),
    join(ROOT, "package-lock.json"),
  ]) {
    hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  inputsHash = hash.digest("hex");
  return inputsHash;
}

function enabled(): boolean {
  return process.env.PLATFORM_SYNTH_CACHE !== "off";
}

/** `<inputs>-<config>.json`: every entry of the current inputs shares the prefix. */
function entry(configKey: string): string {
  const config = createHash("sha256").update(configKey).digest("hex");
  return join(DIR, `${synthInputsHash().slice(0, 16)}-${config.slice(0, 32)}.json`);
}

let pruned = false;

/**
 * Entries of other inputs (an earlier src/, another lockfile) can never be read again unless the
 * change is undone: the first write of each run removes them, so the cache holds one version.
 */
function pruneOtherInputs(): void {
  if (pruned) return;
  pruned = true;
  const current = `${synthInputsHash().slice(0, 16)}-`;
  for (const name of readdirSync(DIR)) {
    if (!name.startsWith(current)) rmSync(join(DIR, name), { force: true });
  }
}

export function readCachedSynth(configKey: string): CachedSynth | undefined {
  if (!enabled()) return undefined;
  try {
    return JSON.parse(readFileSync(entry(configKey), "utf8")) as CachedSynth;
  } catch {
    return undefined;
  }
}

export function writeCachedSynth(configKey: string, value: CachedSynth): void {
  if (!enabled()) return;
  const file = entry(configKey);
  // Whole or not at all: the other worker may read it at any moment. A cache that cannot be
  // written (a full disk, a concurrent run pruning) costs a synth next time, never a test.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(temp, JSON.stringify(value));
    renameSync(temp, file);
    pruneOtherInputs();
  } catch {
    rmSync(temp, { force: true });
  }
}
