import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { exampleConfig } from "./config";
import { readCachedSynth, writeCachedSynth } from "./synth-disk-cache";
import { synthApp } from "./synth";

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
    assets: {},
    text: { state: '{"x":1}' },
    dependencies: { state: [] },
  };

  it("returns what was stored under the same config, and nothing for another", () => {
    writeCachedSynth(key, value);
    expect(readCachedSynth(key)).toEqual(value);
    expect(readCachedSynth(`${key}-other`)).toBeUndefined();
  });

  it("is bypassed with PLATFORM_SYNTH_CACHE=off", () => {
    writeCachedSynth(key, value);
    process.env.PLATFORM_SYNTH_CACHE = "off";
    expect(readCachedSynth(key)).toBeUndefined();
  });
});

/* What the Terraform tier and the CI scripts' tests run on: a folder as cdktf writes it. */
describe("a kept synth served from the cache", () => {
  it("holds every file a synth writes, byte for byte (stacks, manifest, the seed archive)", () => {
    const config = exampleConfig((c) => {
      c.pipeline.configSource = { type: "s3" } as never;
    });
    const fresh = mkdtempSync(join(tmpdir(), "fresh-synth-"));
    buildApp(config, { outdir: fresh }).synth();
    synthApp(config); // now in the cache, whether or not it was before
    const kept = synthApp(config, true);
    try {
      const expected = tree(fresh);
      expect(Object.keys(expected).some((path) => path.endsWith(".zip"))).toBe(true);
      expect(tree(kept.outdir)).toEqual(expected);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
      rmSync(kept.outdir, { recursive: true, force: true });
    }
  });
});
