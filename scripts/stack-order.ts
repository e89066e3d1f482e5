/**
 * Prints the stacks CI plans and deploys, in deploy order, one per line, from the synthesized
 * output (so a stack added to the app is picked up without touching the workflows):
 *
 *   tsx scripts/stack-order.ts [--outdir cdktf.out] [--config FILE] [--all]
 *
 * Bootstrap stacks (local backend: `state`) are left out unless `--all`: they are applied once by
 * hand from a workstation, because a CI runner's local state file would be thrown away.
 * Environment stacks follow the config's promotion order (staging before production).
 */
import { loadConfig } from "../src/config";
import { configPath, DEFAULT_OUTDIR } from "../src/synth/run-synth";
import { deployedByCi, readSynthOutput, type SynthOutput } from "../src/synth/output";
import { environmentOrder, outputDeployOrder } from "../src/synth/summary";

/** The stacks CI runs, in order; with `all`, bootstrap stacks too (first). */
export function ciStackOrder(
  output: SynthOutput,
  environments: readonly string[],
  all = false,
): string[] {
  return outputDeployOrder(output, environments).filter(
    (id) => all || deployedByCi(output.stacks[id].document),
  );
}

function main(argv: readonly string[]): number {
  const at = argv.indexOf("--outdir");
  const outdir = at >= 0 ? argv[at + 1] : process.env.PLATFORM_OUTDIR || DEFAULT_OUTDIR;
  const config = loadConfig(configPath(argv, process.env));
  const order = ciStackOrder(
    readSynthOutput(outdir),
    environmentOrder(config),
    argv.includes("--all"),
  );
  process.stdout.write(`${order.join("\n")}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
