import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { exampleConfig } from "./config";
import {
  readCachedSynth,
  SYNTH_INPUTS,
  synthInputsHash,
  writeCachedSynth,
} from "./synth-disk-cache";
import { synthApp } from "./synth";

const ROOT = join(__dirname, "..", "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Path -> content of every file under `dir`. */
function tree(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(dir, path), readFileSync(path).toString("base64")];
      }),
  );
}

/* The test tier's synth cache: an entry is found only under its own config key, and can be off. */
describe("synth cache between test runs", () => {
  const previous = process.env.PLATFORM_SYNTH_CACHE;
  afterEach(() => {
    if (previous === undefined) delete process.env.PLATFORM_SYNTH_CACHE;
    else process.env.PLATFORM_SYNTH_CACHE = previous;
  });
  const key = `cache-test-${process.pid}-${Date.now()}`;
  const value = {
    manifest: "{}",
    text: { state: '{"x":1}' },
  };

  const inputs = synthInputsHash();

  it("returns what was stored under the same config, and nothing for another", () => {
    writeCachedSynth(inputs, key, value);
    expect(readCachedSynth(inputs, key)).toEqual(value);
    expect(readCachedSynth(inputs, `${key}-other`)).toBeUndefined();
  });

  it("stores nothing from code loaded before the sources changed", () => {
    const before = "0".repeat(64); // the hash of sources that are no longer there
    writeCachedSynth(before, key, value);
    expect(readCachedSynth(before, key)).toBeUndefined();
  });

  it("is bypassed with PLATFORM_SYNTH_CACHE=off", () => {
    writeCachedSynth(inputs, key, value);
    process.env.PLATFORM_SYNTH_CACHE = "off";
    expect(readCachedSynth(inputs, key)).toBeUndefined();
  });

  it("is keyed by every project file src/ reads", () => {
    // src/ finds project files from projectRoot(): each one it names must be part of the key.
    const read = tsFiles(join(ROOT, "src")).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/projectRoot\(\),\s*"([^"]+)"/g)].map((m) => m[1]),
    );
    expect(read).toContain(".terraform-version");
    const notKeyed = read.filter(
      (name) => name !== "node_modules" && !(SYNTH_INPUTS as readonly string[]).includes(name),
    );
    expect(notKeyed).toEqual([]);
  });
});

/* What the Terraform tier and the CI scripts' tests run on: a folder as cdktf writes it. */
describe("a kept synth served from the cache", () => {
  it("holds every file a synth writes, byte for byte (stacks, manifest)", () => {
    const config = exampleConfig((c) => {
      c.pipeline.configSource = { type: "s3" } as never;
    });
    const fresh = mkdtempSync(join(tmpdir(), "fresh-synth-"));
    buildApp(config, { outdir: fresh }).synth();
    synthApp(config); // now in the cache, whether or not it was before
    const kept = synthApp(config, true);
    try {
      const expected = tree(fresh);
      expect(tree(kept.outdir)).toEqual(expected);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
      rmSync(kept.outdir, { recursive: true, force: true });
    }
  });
});
