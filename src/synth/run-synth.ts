import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { buildApp } from "../app";
import { ConfigError, type PlatformConfig } from "../config";
import { configPath, DEFAULT_OUTDIR } from "./cli-paths";
import { environmentOrder, summarizeOutdir } from "./summary";
import { guardOutdir } from "./guard-output";

export interface SynthInvocation {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export interface SynthResult {
  readonly exitCode: number;
  readonly output?: string;
  readonly errors?: string;
  /** Where the stacks were written, when synth succeeded. */
  readonly outdir?: string;
}

/** Marks this run's staging directories, so a later run can tell them from live ones. */
const STAGING_MARK = ".tmp-";

/**
 * Removes staging and swap directories that runs killed mid-way (SIGKILL, power loss) left next
 * to `target`, restoring the previous output if a swap was cut between its two renames.
 */
function removeAbandoned(target: string): void {
  const dir = dirname(target);
  const base = basename(target);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const staging = new RegExp(`^\\.${escape(base)}${escape(STAGING_MARK)}(\\d+)-`).exec(name);
    const swapped = new RegExp(`^${escape(base)}\\.old-(\\d+)$`).exec(name);
    const pid = Number((staging ?? swapped)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const path = join(dir, name);
    if (swapped && !existsSync(target)) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Runs `work` with SIGINT, SIGTERM and SIGHUP caught: synth is synchronous, so a signal waits
 * until the work is done (output swapped in, or staging removed), then `dir` is removed if it is
 * still there and the process ends by that signal. A run killed outright (SIGKILL) leaves its
 * staging directory, which the next run removes (removeAbandoned).
 */
function withCleanupOnSignal<T>(dir: () => string, work: () => T): T {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    received = signal;
  };
  for (const signal of signals) process.on(signal, handler);
  try {
    return work();
  } finally {
    if (dir()) rmSync(dir(), { recursive: true, force: true });
    // A signal that arrived during the work reaches the listeners in the event loop's next poll
    // phase: end the process by it after that, with the output consistent. Two turns of
    // setImmediate, because when the work ran inside an I/O callback (run-built after a rebuild),
    // one turn runs before that poll phase and the signal would be dropped with the listener.
    setImmediate(() =>
      setImmediate(() => {
        for (const signal of signals) process.removeListener(signal, handler);
        if (received) process.kill(process.pid, received);
      }),
    );
  }
}

/**
 * Loads the config and synthesizes every stack. Under the cdktf CLI (CDKTF_OUTDIR set) it writes
 * where the CLI asks, and the CLI keeps the previous output on failure. Run directly, it writes to
 * a sibling temporary directory and swaps it into place only when everything succeeded, so a
 * failed run never leaves a half-written `cdktf.out/`.
 */
export function runSynth(
  invocation: SynthInvocation,
  load: (file: string) => PlatformConfig,
): SynthResult {
  let config: PlatformConfig;
  try {
    config = load(configPath(invocation.argv, invocation.env));
  } catch (err) {
    if (err instanceof ConfigError) return { exitCode: 1, errors: `${err.message}\n` };
    throw err;
  }

  const cliOutdir = invocation.env.CDKTF_OUTDIR;
  if (cliOutdir) {
    buildApp(config, { outdir: cliOutdir }).synth();
    // Guard rules: an error-level finding fails synth; the cdktf CLI then keeps its previous output.
    const guard = guardOutdir(cliOutdir, config);
    if (guard.failed) return { exitCode: 1, errors: guard.errors };
    return { exitCode: 0, outdir: cliOutdir, output: guard.summary };
  }

  const target = resolve(invocation.env.PLATFORM_OUTDIR || DEFAULT_OUTDIR);
  if (!existsSync(dirname(target))) {
    return {
      exitCode: 1,
      errors: `PLATFORM_OUTDIR: ${target} is in a folder that does not exist (${dirname(target)}); create it or choose another output folder\n`,
    };
  }
  removeAbandoned(target);
  // The signals are caught before the staging folder exists, so no moment leaves it behind.
  let staging = "";
  return withCleanupOnSignal(
    () => staging,
    () => {
      staging = mkdtempSync(
        join(dirname(target), `.${basename(target)}${STAGING_MARK}${process.pid}-`),
      );
      return synthInto(staging, target, config);
    },
  );
}

function synthInto(staging: string, target: string, config: PlatformConfig): SynthResult {
  try {
    buildApp(config, { outdir: staging }).synth();
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    return {
      exitCode: 1,
      errors: `synth failed: ${err instanceof Error ? err.message : String(err)}\n`,
    };
  }
  // Guard rules run on the staged output; an error-level finding leaves cdktf.out/ untouched.
  const guard = guardOutdir(staging, config);
  if (guard.failed) {
    rmSync(staging, { recursive: true, force: true });
    return { exitCode: 1, errors: guard.errors };
  }
  replaceDirectory(staging, target);
  return {
    exitCode: 0,
    outdir: target,
    output: `Synthesized stacks into ${target}\n${guard.summary}\n${summarizeOutdir(target, environmentOrder(config))}`,
  };
}

/** Moves `source` to `target`, replacing it; the old tree is removed only after the swap. */
function replaceDirectory(source: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(source, target);
  rmSync(old, { recursive: true, force: true });
}
