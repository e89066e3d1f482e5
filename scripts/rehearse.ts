/**
 * The rehearsal: walks the first-deploy runbook over the synthesized stacks and reports what AWS
 * would reject at apply time or on the first pipeline run (src/rehearsal). Offline.
 *
 *   tsx scripts/rehearse.ts [--outdir cdktf.out] [--config FILE]
 *
 * Exits 1 with the findings (stack, resource, what AWS would do, the fix) when there are any.
 */
import { loadConfig } from "../src/config";
import { firstDeployRunbook } from "../src/model/runbook";
import { formatRehearsal } from "../src/rehearsal/report";
import { rehearse } from "../src/rehearsal/run";
import { readSynthOutput } from "../src/synth/output";
import { configPath, DEFAULT_OUTDIR } from "../src/synth/run-synth";

async function main(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf("--outdir");
  const outdir = at >= 0 ? argv[at + 1] : process.env.PLATFORM_OUTDIR || DEFAULT_OUTDIR;
  const config = loadConfig(configPath(argv, process.env));
  const result = await rehearse(readSynthOutput(outdir), firstDeployRunbook(config));
  process.stdout.write(formatRehearsal(result));
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
