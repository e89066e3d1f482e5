import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformConfig } from "../../src/config";
import { applySteps, firstDeployRunbook } from "../../src/model/runbook";
import { startFakeSts, type FakeSts } from "./fake-sts";
import { synthApp, type SynthesizedApp } from "./synth";
import { findToolchain } from "./terraform-env";
import { partitionStacks, runStacks, type StackRun } from "./terraform-tier";
import { rmSync } from "node:fs";

/** The hashicorp/aws version @cdktf/provider-aws 20.1.0 binds. */
export const AWS_PROVIDER_VERSION = "5.100.0";

/** In CI (CI=true, as .ci/run runs) or with TERRAFORM_TIER=required, a missing toolchain fails. */
const REQUIRED = process.env.CI === "true" || process.env.TERRAFORM_TIER === "required";

/**
 * Declares the Terraform tier for one config: one test per stack, each asserting a successful
 * real `terraform init`, `validate` and offline `plan`. Stacks whose providers are not in the
 * local mirror (the GitHub provider) are listed as skipped with the reason; they are validated
 * by the infra repository's real CI, which can download providers.
 */
export interface TierOptions {
  /**
   * Plan only these stacks: for variants of the example config, the stacks whose output differs.
   * @default - every stack whose providers are available
   */
  readonly stacks?: readonly string[];
}

export function describeTerraformTier(
  label: string,
  makeConfig: () => PlatformConfig,
  options: TierOptions = {},
): void {
  const toolchain = findToolchain(AWS_PROVIDER_VERSION);

  describe(`terraform tier: ${label}`, () => {
    if (!toolchain.ok) {
      it(
        REQUIRED ? "has terraform and the provider mirror (required in CI)" : "is skipped",
        (ctx) => {
          if (REQUIRED)
            expect.fail(`Terraform tier is required here but cannot run: ${toolchain.reason}`);
          console.warn(`Terraform tier skipped: ${toolchain.reason}`);
          ctx.skip();
        },
      );
      return;
    }
    const config = makeConfig();
    const app: SynthesizedApp = synthApp(config, true);
    const partition = partitionStacks(app, toolchain.toolchain.mirror);
    const chosen = options.stacks;
    if (chosen) {
      const unknown = chosen.filter((id) => !(id in app.stacks));
      if (unknown.length)
        throw new Error(`${label}: no stacks ${unknown.join(", ")} in this config`);
    }
    // TF_TIER_STACKS=a,b narrows a local run to some stacks; CI always runs all of them.
    const only = REQUIRED ? [] : (process.env.TF_TIER_STACKS ?? "").split(",").filter(Boolean);
    const runnable = partition.runnable
      .filter((id) => !chosen || chosen.includes(id))
      .filter((id) => !only.length || only.includes(id));
    const unavailable = Object.fromEntries(
      Object.entries(partition.unavailable).filter(([id]) => !chosen || chosen.includes(id)),
    );
    let results: Record<string, StackRun> = {};
    let sts: FakeSts | undefined;
    // Each stack runs with the credentials of the account the first-deploy runbook applies it in.
    const accounts = Object.fromEntries(
      applySteps(firstDeployRunbook(config)).flatMap((s) =>
        s.accountId ? [[s.stack, s.accountId]] : [],
      ),
    );

    beforeAll(async () => {
      sts = await startFakeSts();
      results = await runStacks(toolchain.toolchain, app, runnable, {
        accounts,
        stsEndpoint: sts.endpoint,
      });
    }, 900_000);
    afterAll(async () => {
      await sts?.close();
      rmSync(app.outdir, { recursive: true, force: true });
    });

    it("runs every stack whose providers are available", () => {
      if (only.length) return; // a narrowed local run may pick none of this config's stacks
      expect(runnable.length).toBeGreaterThan(0);
      if (!chosen)
        expect(runnable.length + Object.keys(unavailable).length).toBe(
          Object.keys(app.stacks).length,
        );
    });

    for (const stack of runnable) {
      it(`${stack}: init, validate and offline plan succeed`, () => {
        const run = results[stack];
        expect(run, `no result for ${stack}`).toBeDefined();
        if (!run.ok)
          expect.fail(
            `terraform ${run.failedStep} failed for ${stack}:\n${run.output.slice(-6000)}`,
          );
        expect(run.toAdd).toBeGreaterThan(0);
      });
    }
    for (const [stack, reason] of Object.entries(unavailable)) {
      it.skip(`${stack}: ${reason}; validated by the infra repository's CI`, () => {});
    }
  });
}
