/**
 * `npm run docs:runbook`: writes the first-deploy runbook of the example config, generated from
 * src/model/runbook.ts, into docs/first-deploy.md (detailed steps) and README.md (one line per
 * step), between `<!-- runbook:start -->` and `<!-- runbook:end -->`. `--check` only reports
 * whether both are current (exit 1 when stale), as test/scripts/runbook-doc.test.ts does.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { loadConfig } from "../src/config";
import { firstDeployRunbook } from "../src/model/runbook";
import { readmeBlock } from "../src/synth/readme-block";
import { runbookMarkdown, runbookSummary } from "./runbook-markdown";

const ROOT = join(__dirname, "..");
export const RUNBOOK_FILES = {
  doc: join(ROOT, "docs", "first-deploy.md"),
  readme: join(ROOT, "README.md"),
} as const;
const BLOCK = readmeBlock("runbook", "run `npm run docs:runbook` to fill it");

/** The blocks as prettier formats them (both files are prettier-checked). */
export async function runbookBlocks(): Promise<{ doc: string; readme: string }> {
  const config = loadConfig(join(ROOT, "config", "platform.yaml"));
  const runbook = firstDeployRunbook(config);
  const options = (await resolveConfig(RUNBOOK_FILES.readme)) ?? {};
  const md = (text: string) => format(text, { ...options, parser: "markdown" });
  return {
    doc: (await md(runbookMarkdown(runbook, config))).trim(),
    readme: (await md(runbookSummary(runbook))).trim(),
  };
}

/** The blocks now in the files (undefined where the markers are missing). */
export function currentRunbookBlocks(): { doc?: string; readme?: string } {
  return {
    doc: BLOCK.current(readFileSync(RUNBOOK_FILES.doc, "utf8")),
    readme: BLOCK.current(readFileSync(RUNBOOK_FILES.readme, "utf8")),
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const blocks = await runbookBlocks();
  const current = currentRunbookBlocks();
  if (argv.includes("--check")) {
    const stale = (["doc", "readme"] as const).filter((k) => current[k] !== blocks[k]);
    if (stale.length) {
      process.stderr.write(
        `stale runbook in ${stale.map((k) => RUNBOOK_FILES[k]).join(", ")}; run npm run docs:runbook\n`,
      );
      return 1;
    }
    return 0;
  }
  for (const key of ["doc", "readme"] as const) {
    const file = RUNBOOK_FILES[key];
    writeFileSync(file, BLOCK.replace(readFileSync(file, "utf8"), blocks[key]));
  }
  process.stdout.write("docs/first-deploy.md and README.md runbook updated\n");
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
