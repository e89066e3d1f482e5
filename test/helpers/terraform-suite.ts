import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlatformConfig } from "../../src/config";
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
export function describeTerraformTier(label: string, makeConfig: () => PlatformConfig): void {
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
    const app: SynthesizedApp = synthApp(makeConfig(), true);
    const partition = partitionStacks(app, toolchain.toolchain.mirror);
    // TF_TIER_STACKS=a,b narrows a local run to some stacks; CI always runs all of them.
    const only = REQUIRED ? [] : (process.env.TF_TIER_STACKS ?? "").split(",").filter(Boolean);
    const runnable = only.length
      ? partition.runnable.filter((s) => only.includes(s))
      : partition.runnable;
    const unavailable = partition.unavailable;
    let results: Record<string, StackRun> = {};

    beforeAll(async () => {
      results = await runStacks(toolchain.toolchain, app, runnable);
    }, 900_000);
    afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

    it("runs every stack whose providers are available", () => {
      expect(runnable.length).toBeGreaterThan(0);
      if (!only.length)
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
