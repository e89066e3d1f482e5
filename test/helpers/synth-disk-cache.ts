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
 * the product's source (src/), the files of the project it reads (SYNTH_INPUTS: the deploy-config
 * seed it zips, the Terraform version, the installed packages' lockfile) and the environment
 * variables cdktf's synth reads. Any change to one of them is a different key, so a stale entry
 * is never read. PLATFORM_SYNTH_CACHE=off turns it off.
 *
 * The key is computed when test/helpers/synth.ts is evaluated, right after it loaded src/ (and
 * again, in watch mode, whenever a change to src/ reloads it), and checked again before each
 * write: output of code loaded before an edit is never stored under the edited sources' key.
 */

/** Project files and folders synth reads besides src/ (a test checks src/ reads no others). */
export const SYNTH_INPUTS = ["examples", ".terraform-version", "package-lock.json"] as const;

/** Environment variables cdktf's App and stacks read at synth. */
const SYNTH_ENV = [
  "SYNTH_HCL_OUTPUT",
  "CDKTF_CONTEXT_JSON",
  "CDKTF_TARGET_STACK_ID",
  "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS",
] as const;

const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, "node_modules", ".cache", "platform-synth");

export interface CachedSynth {
  /** manifest.json as cdktf wrote it (stack id -> synthesizedStackPath, dependencies, ...). */
  readonly manifest: string;
  /** Stack id -> the stack's cdk.tf.json as cdktf wrote it. */
  readonly text: Record<string, string>;
}

/** Changes whenever CachedSynth's shape does: entries of another shape are never read. */
const FORMAT = "6";

/** Every file at or under `path`, in name order. */
export function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of everything synth's output can depend on besides the config (about 10 ms). */
export function synthInputsHash(): string {
  const hash = createHash("sha256").update(FORMAT).update("\0");
  for (const file of [join(ROOT, "src"), ...SYNTH_INPUTS.map((p) => join(ROOT, p))].flatMap(
    filesUnder,
  )) {
    hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  for (const name of SYNTH_ENV) hash.update(`\0${name}=${process.env[name] ?? ""}`);
  return hash.digest("hex");
}

function enabled(): boolean {
  return process.env.PLATFORM_SYNTH_CACHE !== "off";
}

/** `<inputs>-<config>.json`: every entry of the same inputs shares the prefix. */
function entry(inputs: string, configKey: string): string {
  const config = createHash("sha256").update(configKey).digest("hex");
  return join(DIR, `${inputs.slice(0, 16)}-${config.slice(0, 32)}.json`);
}

let pruned = false;

/**
 * Entries of other inputs (an earlier src/, another lockfile) can never be read again unless the
 * change is undone: the first write of each run removes them, so the cache holds one version.
 */
function pruneOtherInputs(inputs: string): void {
  if (pruned) return;
  pruned = true;
  const current = `${inputs.slice(0, 16)}-`;
  for (const name of readdirSync(DIR)) {
    if (!name.startsWith(current)) rmSync(join(DIR, name), { force: true });
  }
}

/** The stored synth of `configKey` made from sources whose hash is `inputs`, if any. */
export function readCachedSynth(inputs: string, configKey: string): CachedSynth | undefined {
  if (!enabled()) return undefined;
  try {
    return JSON.parse(readFileSync(entry(inputs, configKey), "utf8")) as CachedSynth;
  } catch {
    return undefined;
  }
}

/**
 * Stores a synth made by code loaded from sources whose hash was `inputs`; nothing when they
 * changed since (the output belongs to neither version).
 */
export function writeCachedSynth(inputs: string, configKey: string, value: CachedSynth): void {
  if (!enabled() || synthInputsHash() !== inputs) return;
  const file = entry(inputs, configKey);
  // Whole or not at all: the other worker may read it at any moment. A cache that cannot be
  // written (a full disk, a concurrent run pruning) costs a synth next time, never a test.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(temp, JSON.stringify(value));
    renameSync(temp, file);
    pruneOtherInputs(inputs);
  } catch {
    rmSync(temp, { force: true });
  }
}
