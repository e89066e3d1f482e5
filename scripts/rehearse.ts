/**
 * `npm run rehearse [-- --config FILE] [-- --outdir DIR]`: walks the first-deploy runbook over the
 * synthesized stacks and reports what AWS would reject at apply time or on the first pipeline
 * run (src/rehearsal), offline. Without --outdir it synthesizes the config into a temporary
 * directory (cdktf.out/ is never touched); with it, it reads an existing synth output.
 * Exit codes: 0 no finding, 1 findings (stack, resource, what AWS would do, the fix), 2 invalid
 * config.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../src/app";
import { ConfigError, loadConfig, type PlatformConfig } from "../src/config";
import { firstDeployRunbook } from "../src/model/runbook";
import { formatRehearsal } from "../src/rehearsal/report";
import { rehearse, type RehearsalResult } from "../src/rehearsal/run";
import { readSynthOutput } from "../src/synth/output";
import { useCheapTokenTraces } from "../src/synth/cheap-token-traces";
import { configPath } from "../src/synth/cli-paths";

/** Rehearses `config`, from `outdir` when given, else from a fresh synth in a temp directory. */
export async function rehearseConfig(
  config: PlatformConfig,
  outdir?: string,
): Promise<RehearsalResult> {
  if (outdir) return rehearse(readSynthOutput(outdir), firstDeployRunbook(config));
  const scratch = mkdtempSync(join(tmpdir(), "platform-rehearse-"));
  try {
    buildApp(config, { outdir: scratch }).synth();
    return await rehearse(readSynthOutput(scratch), firstDeployRunbook(config));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  useCheapTokenTraces();
  const file = configPath(argv, process.env);
  let config: PlatformConfig;
  try {
    config = loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const at = argv.indexOf("--outdir");
  const result = await rehearseConfig(config, at >= 0 ? argv[at + 1] : undefined);
  process.stdout.write(`Config: ${file}\n${formatRehearsal(result)}`);
  return result.findings.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(
        `rehearsal failed: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
