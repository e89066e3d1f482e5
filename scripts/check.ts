/**
 * `npm run check [-- --config FILE] [-- --report-dir DIR]`: synthesizes the platform config into
 * a temporary directory (cdktf.out/ is never touched), runs every guard rule and prints the report
 * (counts per severity, each finding, each suppression with its reason), then the rehearsal of
 * the first deploy (AWS apply-time and first-run rules, src/rehearsal).
 * Exit codes: 0 no error-level finding and no rehearsal finding, 1 otherwise, 2 invalid config.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildApp } from "../src/app";
import { ConfigError, loadConfig, type PlatformConfig } from "../src/config";
import { formatReport, writeReport } from "../src/policies/guard/report";
import { guardOptionsFromConfig, runGuards } from "../src/policies/guard/runner";
import { readSynthesizedStacks } from "../src/synth/guard-output";
import { firstDeployRunbook } from "../src/model/runbook";
import { formatRehearsal } from "../src/rehearsal/report";
import { rehearse } from "../src/rehearsal/run";
import { readSynthOutput } from "../src/synth/output";
import { useCheapTokenTraces } from "../src/synth/cheap-token-traces";
import { configPath } from "../src/synth/cli-paths";

function option(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name && argv[i + 1]) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
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

  const outdir = mkdtempSync(join(tmpdir(), "platform-check-"));
  try {
    buildApp(config, { outdir }).synth();
    const report = runGuards(readSynthesizedStacks(outdir), guardOptionsFromConfig(config));
    process.stdout.write(`Config: ${file}\n${formatReport(report)}`);
    const reportDir = option(argv, "--report-dir");
    if (reportDir) {
      mkdirSync(resolve(reportDir), { recursive: true });
      writeReport(resolve(reportDir), report);
      process.stdout.write(
        `Wrote guard-report.json and guard-report.md to ${resolve(reportDir)}\n`,
      );
    }
    const rehearsal = await rehearse(readSynthOutput(outdir), firstDeployRunbook(config));
    process.stdout.write(formatRehearsal(rehearsal));
    return report.counts.error > 0 || rehearsal.findings.length > 0 ? 1 : 0;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`check failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
