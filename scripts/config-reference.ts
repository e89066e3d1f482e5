/**
 * `npm run docs:config`: writes the configuration reference (tools/docs/config-reference.ts) into
 * docs/configuration.md between `<!-- config-reference:start -->` and `<!-- config-reference:end -->`.
 * Nothing outside the markers changes. `--check` only reports whether the file is current
 * (exit 1 when stale), as test/tools/config-reference.test.ts does. Either way the block must be
 * stable under prettier, or `npm run lint` (prettier --check) would fail on it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { configReference } from "../tools/docs/config-reference";
import { currentReferenceBlock, replaceReferenceBlock } from "../tools/docs/reference-block";

const README = join(__dirname, "..", "docs", "configuration.md");

async function prettierStable(block: string): Promise<boolean> {
  const options = (await resolveConfig(README)) ?? {};
  const formatted = await format(block, { ...options, parser: "markdown" });
  return formatted === block;
}

async function main(argv: readonly string[]): Promise<number> {
  const block = configReference();
  const readme = readFileSync(README, "utf8");
  let updated: string;
  let current: string;
  try {
    updated = replaceReferenceBlock(readme, block);
    current = currentReferenceBlock(readme);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (!(await prettierStable(block))) {
    process.stderr.write(
      "configReference() is not in prettier's format (prettier would rewrite it); fix the " +
        "Markdown that tools/docs/config-reference.ts emits\n",
    );
    return 1;
  }
  const fresh = current === block.trim();
  if (argv.includes("--check")) {
    process.stdout.write(
      fresh
        ? "docs/configuration.md is up to date\n"
        : "docs/configuration.md is stale: run `npm run docs:config`\n",
    );
    return fresh ? 0 : 1;
  }
  if (!fresh) writeFileSync(README, updated);
  process.stdout.write(
    fresh ? "docs/configuration.md already up to date\n" : "docs/configuration.md updated\n",
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
