/**
 * Entry point: read config -> buildApp(config) -> synth. Used by `npm run synth` and as the
 * cdktf.json app command. A bad config exits 1 with every problem listed and writes nothing.
 */
// cdktf captures and formats a full stack trace for every token it creates; with source maps on
// (tsx turns them on) formatting dominates synth time. Config errors print no stack anyway.
process.setSourceMapsEnabled(false);

import { loadConfig } from "./src/config";
import { runSynth } from "./src/synth/run-synth";

const result = runSynth({ argv: process.argv.slice(2), env: process.env }, loadConfig);
if (result.output) process.stdout.write(result.output);
if (result.errors) process.stderr.write(result.errors);
process.exitCode = result.exitCode;
