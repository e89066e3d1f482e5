/**
 * cdktf records a full stack trace for every token it creates (a plain `{ stack }` object filled
 * by Error.captureStackTrace with an unlimited depth) and uses it only to explain a token that
 * fails to resolve. Formatting those traces was a quarter of synth time. This formats traces as
 * usual for real errors and skips the formatting for every other object, so cdktf's bookkeeping
 * costs next to nothing and thrown errors keep their stacks.
 */
export function useCheapTokenTraces(): void {
  // Source-mapped traces (tsx turns source maps on) cost even more for the same reason.
  process.setSourceMapsEnabled(false);
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (target: unknown, frames: NodeJS.CallSite[]): unknown => {
    if (!(target instanceof Error)) return "";
    if (previous) return previous(target, frames);
    return [String(target), ...frames.map((frame) => `    at ${String(frame)}`)].join("\n");
  };
}
