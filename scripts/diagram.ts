/**
 * `npm run diagram`: synthesizes the config (config/platform.yaml, or --config / PLATFORM_CONFIG)
 * into a temporary directory, or reads an existing output with `--outdir DIR`, and writes the
 * architecture diagram into docs/architecture.md between `<!-- diagram:start -->` and `<!-- diagram:end -->`.
 * Nothing outside the markers changes. `--check` only reports whether the README is up to date
 * (exit 1 when stale), as test/tools/diagram.test.ts does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { architectureDiagram, diagramIsCurrent, replaceDiagramBlock } from "../tools/docs/diagram";
import { readSynthOutput, type SynthOutput } from "../src/synth/output";
import { configPath } from "../src/synth/cli-paths";
import { environmentOrder } from "../src/synth/summary";

const README = join(__dirname, "..", "docs", "architecture.md");

function synthesize(argv: readonly string[]): { output: SynthOutput; environments: string[] } {
  const config = loadConfig(configPath(argv, process.env));
  const environments = environmentOrder(config);
  const at = argv.indexOf("--outdir");
  if (at >= 0) return { output: readSynthOutput(argv[at + 1]), environments };
  const outdir = mkdtempSync(join(tmpdir(), "diagram-synth-"));
  try {
    buildApp(config, { outdir }).synth();
    return { output: readSynthOutput(outdir), environments };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function main(argv: readonly string[]): number {
  const { output, environments } = synthesize(argv);
  const block = architectureDiagram(output, environments);
  const readme = readFileSync(README, "utf8");
  let updated: string;
  try {
    updated = replaceDiagramBlock(readme, block);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (argv.includes("--check")) {
    const fresh = diagramIsCurrent(readme, block);
    process.stdout.write(
      fresh
        ? "docs/architecture.md diagram is up to date\n"
        : "docs/architecture.md diagram is stale: run `npm run diagram`\n",
    );
    return fresh ? 0 : 1;
  }
  if (updated !== readme) writeFileSync(README, updated);
  process.stdout.write(
    updated !== readme
      ? "docs/architecture.md diagram updated\n"
      : "docs/architecture.md diagram already up to date\n",
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
