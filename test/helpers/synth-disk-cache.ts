import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
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
  readonly text: Record<string, string>;
  readonly dependencies: Record<string, string[]>;
}

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
  const hash = createHash("sha256");
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

function entry(configKey: string): string {
  const key = createHash("sha256").update(synthInputsHash()).update(configKey).digest("hex");
  return join(DIR, `${key}.json`);
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
  mkdirSync(DIR, { recursive: true });
  // Whole or not at all: the other worker may read it at any moment.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(value));
  renameSync(temp, file);
}
