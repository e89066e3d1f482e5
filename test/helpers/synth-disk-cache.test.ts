import { afterEach, describe, expect, it } from "vitest";
import { readCachedSynth, writeCachedSynth } from "./synth-disk-cache";

/* The test tier's synth cache: an entry is found only under its own config key, and can be off. */
describe("synth cache between test runs", () => {
  const previous = process.env.PLATFORM_SYNTH_CACHE;
  afterEach(() => {
    if (previous === undefined) delete process.env.PLATFORM_SYNTH_CACHE;
    else process.env.PLATFORM_SYNTH_CACHE = previous;
  });
  const key = `cache-test-${process.pid}-${Date.now()}`;
  const value = { manifest: "{}", text: { state: '{"x":1}' }, dependencies: { state: [] } };

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
