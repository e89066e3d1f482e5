/**
 * State safety: the sorted Terraform addresses of every stack, committed as one text file per
 * stack. Renaming a construct id (or moving it) changes an address, and Terraform plans a
 * destroy-and-create for it; here that shows up as a snapshot diff a reviewer must accept
 * deliberately (`npx vitest run -u test/stacks/resource-addresses.test.ts`), ideally together
 * with a `moveTo` so the resource is moved rather than replaced.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../helpers/config";
import { resourceAddresses, synthApp } from "../helpers/synth";

const SNAPSHOTS = join(__dirname, "__snapshots__", "resource-addresses");

describe("resource addresses of the example config", () => {
  const app = synthApp(exampleConfig());
  const stackIds = Object.keys(app.stacks).sort();

  it("the set of stacks", async () => {
    await expect(`${stackIds.join("\n")}\n`).toMatchFileSnapshot(join(SNAPSHOTS, "stacks.txt"));
  });

  it.each(stackIds)("%s", async (stackId) => {
    const addresses = resourceAddresses(app.stacks[stackId]);
    await expect(`${addresses.join("\n")}\n`).toMatchFileSnapshot(
      join(SNAPSHOTS, `${stackId}.txt`),
    );
  });
});
