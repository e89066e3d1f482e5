import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exampleConfig } from "../helpers/config";
import { synthApp } from "../helpers/synth";

/*
 * scripts/ci/terraform-stacks.sh with a STACKS selection (deploy.yml's workflow_dispatch input on
 * the first deploy): a stack CI may not apply (an administrator-only GitHub OIDC stack) stops the
 * run before terraform runs at all.
 */

const ROOT = join(__dirname, "..", "..");

describe("terraform-stacks.sh STACKS selection", () => {
  const app = synthApp(exampleConfig(), true);
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));
  const run = (mode: string, stacks: string) =>
    spawnSync("bash", ["scripts/ci/terraform-stacks.sh", mode, join(app.outdir, "plans")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PLATFORM_OUTDIR: app.outdir, STACKS: stacks, GITHUB_OUTPUT: "" },
      timeout: 60_000,
    });

  it("refuses to apply a stack that creates the roles CI assumes", () => {
    const result = run("apply", "ecr github-oidc-222222222222");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/"github-oidc-222222222222" is not a stack CI may apply here/);
    expect(result.stdout).not.toMatch(/terraform/);
  });

  it("refuses an unknown stack id", () => {
    const result = run("plan", "network-prod");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/"network-prod" is not a stack CI may plan here/);
  });
});
