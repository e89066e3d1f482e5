/**
 * One measured synth, run as its own process by scripts/bench.ts so that its peak RSS is the
 * synth's alone. Prints `{"maxRssMb": N}` on stdout after synthesizing.
 */
import { loadConfig } from "../src/config";
import { runSynth } from "../src/synth/run-synth";

const [config, outdir] = process.argv.slice(2);
const result = runSynth(
  { argv: ["--config", config], env: { PLATFORM_OUTDIR: outdir } },
  loadConfig,
);
if (result.exitCode !== 0) {
  process.stderr.write(result.errors ?? "synth failed\n");
  process.exit(result.exitCode);
}
process.stdout.write(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }));
