/**
 * `npm run docs:runbook`: writes the first-deploy runbook of the example config, generated from
 * src/model/runbook.ts, into docs/first-deploy.md (detailed steps) and README.md (one line per
 * step), and the runbook of the same config on HCP Terraform with remote execution into
 * docs/hcp-terraform.md, between `<!-- runbook:start -->` and `<!-- runbook:end -->`. `--check`
 * only reports whether all are current (exit 1 when stale), as test/scripts/runbook-doc.test.ts
 * does.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { parse } from "yaml";
import { loadConfig, parseConfig } from "../src/config";
import { firstDeployRunbook } from "../src/model/runbook";
import { readmeBlock } from "../tools/docs/readme-block";
import { runbookMarkdown, runbookSummary } from "./runbook-markdown";

const ROOT = join(__dirname, "..");
export const RUNBOOK_FILES = {
  doc: join(ROOT, "docs", "first-deploy.md"),
  readme: join(ROOT, "README.md"),
  hcp: join(ROOT, "docs", "hcp-terraform.md"),
} as const;
type Block = keyof typeof RUNBOOK_FILES;
const KEYS = Object.keys(RUNBOOK_FILES) as Block[];

/** The HCP Terraform settings docs/hcp-terraform.md shows (the example's, on HCP). */
export const HCP_EXAMPLE_STATE = {
  backend: "hcp",
  organization: "acme",
  workspacePrefix: "acme-shop-",
  execution: "remote",
} as const;
const BLOCK = readmeBlock("runbook", "run `npm run docs:runbook` to fill it");

/** The blocks as prettier formats them (both files are prettier-checked). */
export async function runbookBlocks(): Promise<Record<Block, string>> {
  const file = join(ROOT, "config", "platform.yaml");
  const config = loadConfig(file);
  const runbook = firstDeployRunbook(config);
  const hcpInput = { ...(parse(readFileSync(file, "utf8")) as object), state: HCP_EXAMPLE_STATE };
  const hcp = parseConfig(hcpInput, `${file} (state: HCP Terraform, remote execution)`);
  const options = (await resolveConfig(RUNBOOK_FILES.readme)) ?? {};
  const md = async (text: string) =>
    (await format(text, { ...options, parser: "markdown" })).trim();
  return {
    doc: await md(runbookMarkdown(runbook, config)),
    readme: await md(runbookSummary(runbook)),
    hcp: await md(runbookMarkdown(firstDeployRunbook(hcp), hcp)),
  };
}

/** The blocks now in the files (undefined where the markers are missing). */
export function currentRunbookBlocks(): Partial<Record<Block, string>> {
  return Object.fromEntries(
    KEYS.map((key) => [key, BLOCK.current(readFileSync(RUNBOOK_FILES[key], "utf8"))]),
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const blocks = await runbookBlocks();
  const current = currentRunbookBlocks();
  if (argv.includes("--check")) {
    const stale = KEYS.filter((k) => current[k] !== blocks[k]);
    if (stale.length) {
      process.stderr.write(
        `stale runbook in ${stale.map((k) => RUNBOOK_FILES[k]).join(", ")}; run npm run docs:runbook\n`,
      );
      return 1;
    }
    return 0;
  }
  for (const key of KEYS) {
    const file = RUNBOOK_FILES[key];
    writeFileSync(file, BLOCK.replace(readFileSync(file, "utf8"), blocks[key]));
  }
  process.stdout.write(
    "docs/first-deploy.md, docs/hcp-terraform.md and README.md runbooks updated\n",
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
