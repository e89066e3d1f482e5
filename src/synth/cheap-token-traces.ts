/**
 * cdktf records a full stack trace for every token it creates (a plain `{ stack }` object filled
 * by Error.captureStackTrace with an unlimited depth) and uses it only to explain a token that
 * fails to resolve. Collecting and formatting those traces was a quarter of synth time (half of
 * it under tsx or Vitest, which format them through source maps). This formats traces as usual
 * for real errors and gives every other object an empty trace without walking the stack, so
 * cdktf's bookkeeping costs next to nothing and thrown errors keep their stacks.
 */
const CHEAP = Symbol.for("platform.cheapTokenTraces");

type PrepareStackTrace = NonNullable<ErrorConstructor["prepareStackTrace"]>;
type CaptureStackTrace = ErrorConstructor["captureStackTrace"];

/**
 * Wraps whatever formats traces now (Node's default, or a test runner's source-mapping one);
 * installing twice (a setup file run once per test file) wraps once.
 */
export function installCheapTokenTraces(): void {
  const previous = Error.prepareStackTrace;
  if (previous && CHEAP in previous) return;
  const cheap: PrepareStackTrace = (target, frames) => {
    if (!(target instanceof Error)) return "";
    if (previous) return previous(target, frames) as unknown;
    return [String(target), ...frames.map((frame) => `    at ${String(frame)}`)].join("\n");
  };
  Error.prepareStackTrace = Object.assign(cheap, { [CHEAP]: true });

  // While `cheap` formats, a trace captured on anything but an Error formats to "": skip the walk
  // over the stack (cdktf's are deep, and it asks for every frame) and set that "" directly. A
  // library that installs its own formatter first (to read call sites) still gets the frames.
  // One difference from V8's lazy formatting: a trace captured under `cheap` and first read after
  // another formatter was installed stays "" (V8 would format it then); no library we load
  // captures before installing its formatter.
  const capture: CaptureStackTrace = Error.captureStackTrace.bind(Error);
  const skipping: CaptureStackTrace = (target, below) => {
    if (target instanceof Error || Error.prepareStackTrace !== cheap) {
      // Frames start below the caller's `below`, or below this wrapper as they did below V8's.
      capture(target, below ?? skipping);
      return;
    }
    Object.defineProperty(target, "stack", {
      value: "",
      writable: true,
      configurable: true,
      enumerable: false,
    });
  };
  Error.captureStackTrace = skipping;
}

/** For the synth entry point: no source maps either (tsx turns them on; they cost more still). */
export function useCheapTokenTraces(): void {
  process.setSourceMapsEnabled(false);
  installCheapTokenTraces();
}
