/**
 * Entry point: read config -> buildApp(config) -> synth. Used by `npm run synth` and as the
 * cdktf.json app command. A bad config exits 1 with every problem listed and writes nothing.
 */
import { loadConfig } from "./src/config";
import { useCheapTokenTraces } from "./src/synth/cheap-token-traces";
import { runSynth } from "./src/synth/run-synth";

useCheapTokenTraces();

const result = runSynth({ argv: process.argv.slice(2), env: process.env }, loadConfig);
if (result.output) process.stdout.write(result.output);
if (result.errors) process.stderr.write(result.errors);
process.exitCode = result.exitCode;
