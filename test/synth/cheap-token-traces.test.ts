import { Lazy } from "cdktf";
import { describe, expect, it } from "vitest";
import { installCheapTokenTraces } from "../../src/synth/cheap-token-traces";

/* Installed for every test file by test/helpers/setup-traces.ts, as main.ts installs it. */
describe("cheap token traces", () => {
  it("leave thrown errors their frames", () => {
    installCheapTokenTraces();
    function thrower(): never {
      throw new Error("boom");
    }
    let stack = "";
    try {
      thrower();
    } catch (err) {
      stack = (err as Error).stack ?? "";
    }
    expect(stack).toMatch(/^Error: boom\n\s+at thrower /);
    const captured = new Error("captured");
    (function capturer() {
      Error.captureStackTrace(captured);
    })();
    expect(captured.stack).toMatch(/^Error: captured\n\s+at capturer /);
  });

  it("give the traces cdktf records for each token no frames", () => {
    installCheapTokenTraces();
    const lazy = Lazy.anyValue({ produce: () => "value" }) as unknown as {
      creationStack: string[];
    };
    expect(lazy.creationStack).toEqual([]);
    const target = { stack: "" };
    Error.captureStackTrace(target);
    expect(target.stack).toBe("");
  });

  it("skip the walk over the stack for them: a formatter installed later gets nothing", () => {
    installCheapTokenTraces();
    const target = {} as { stack?: unknown };
    Error.captureStackTrace(target);
    // V8 formats a captured trace when it is first read, with the formatter in place then: had
    // the frames been collected, this one would return them.
    const previous = Error.prepareStackTrace;
    Error.prepareStackTrace = (_, frames) => frames;
    try {
      expect(target.stack).toBe("");
    } finally {
      Error.prepareStackTrace = previous;
    }
  });

  it("give call sites to a library that installs its own formatter to read them", () => {
    installCheapTokenTraces();
    // As depd and similar libraries find their caller: their own formatter, a plain object.
    const previous = Error.prepareStackTrace;
    Error.prepareStackTrace = (_, frames) => frames;
    const target = {} as { stack?: NodeJS.CallSite[] };
    let frames: NodeJS.CallSite[] | undefined;
    try {
      (function caller() {
        Error.captureStackTrace(target);
      })();
      frames = target.stack; // read while its formatter is in place, as they do
    } finally {
      Error.prepareStackTrace = previous;
    }
    expect(frames?.[0].getFunctionName()).toBe("caller");
  });
});
