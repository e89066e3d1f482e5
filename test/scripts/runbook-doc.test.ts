import { describe, expect, it } from "vitest";
import { currentRunbookBlocks, runbookBlocks } from "../../scripts/runbook-doc";

/*
 * docs/first-deploy.md and the README show the runbook the rehearsal walks: both blocks are
 * generated from src/model/runbook.ts for the example config. A change to the runbook (a new
 * stack, a reordered step) without `npm run docs:runbook` fails here.
 */
describe("first-deploy runbook in the docs", () => {
  it("docs/first-deploy.md and README.md show the rehearsed runbook", async () => {
    const generated = await runbookBlocks();
    const current = currentRunbookBlocks();
    expect(current.doc, "docs/first-deploy.md is stale: run npm run docs:runbook").toBe(
      generated.doc,
    );
    expect(current.readme, "README.md is stale: run npm run docs:runbook").toBe(generated.readme);
    expect(current.hcp, "docs/hcp-terraform.md is stale: run npm run docs:runbook").toBe(
      generated.hcp,
    );
  });
});
