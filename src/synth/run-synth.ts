import { existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { buildApp } from "../app";
import { ConfigError, type PlatformConfig } from "../config";
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

export const DEFAULT_CONFIG = "config/platform.yaml";
export const DEFAULT_OUTDIR = "cdktf.out";

/** `--config FILE` (or `--config=FILE`), else PLATFORM_CONFIG, else config/platform.yaml. */
export function configPath(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--config" && argv[i + 1]) return argv[i + 1];
    if (arg.startsWith("--config=")) return arg.slice("--config=".length);
  }
  return env.PLATFORM_CONFIG || DEFAULT_CONFIG;
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
  const file = configPath(invocation.argv, invocation.env);
  let config: PlatformConfig;
  try {
    config = load(file);
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
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
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
