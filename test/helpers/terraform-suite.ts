import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import type { PlatformConfig } from "../../src/config";
import { applySteps, firstDeployRunbook } from "../../src/model/runbook";
import { startFakeSts, type FakeSts } from "./fake-sts";
import { synthApp, type SynthesizedApp } from "./synth";
import { findToolchain } from "./terraform-env";
import { planTogether, type TogetherEntry } from "./terraform-together";
import { partitionStacks, runStacks, type StackRun } from "./terraform-tier";

/** The hashicorp/aws version @cdktf/provider-aws 20.1.0 binds. */
export const AWS_PROVIDER_VERSION = "5.100.0";

/** In CI (CI=true, as .ci/run runs) or with TERRAFORM_TIER=required, a missing toolchain fails. */
const REQUIRED = process.env.CI === "true" || process.env.TERRAFORM_TIER === "required";

/** One configuration the Terraform tier plans. */
export interface TierVariant {
  readonly label: string;
  /** Short, unique, starting with a letter: prefixes the variant's module names. */
  readonly key: string;
  readonly makeConfig: () => PlatformConfig;
  /**
   * Plan only these stacks: for variants of the example config, the stacks whose output differs.
   * @default - every stack whose providers are available
   */
  readonly stacks?: readonly string[];
}

interface Prepared {
  readonly variant: TierVariant;
  readonly app: SynthesizedApp;
  readonly runnable: string[];
  readonly unavailable: Record<string, string>;
  readonly accounts: Record<string, string>;
}

/**
 * The Terraform tier: every stack of every variant through real `terraform init` and an offline
 * `plan` (which validates the configuration first), all in one run (terraform-together.ts). One
 * test per stack asserts its plan succeeded and creates resources. Stacks whose providers are not
 * in the local mirror (the GitHub provider) are listed as skipped with the reason; the infra
 * repository's CI, which can download providers, plans them.
 */
export function describeTerraformTier(variants: readonly TierVariant[]): void {
  const toolchain = findToolchain(AWS_PROVIDER_VERSION);
  for (const v of variants) {
    // Module names are Terraform identifiers: a letter first.
    if (!/^[a-z][a-z0-9]*$/.test(v.key))
      throw new Error(`variant key "${v.key}": use [a-z][a-z0-9]*`);
  }
  describe("terraform tier", () => {
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
    // TF_TIER_STACKS=a,b narrows a local run to some stacks; CI always runs all of them.
    const only = REQUIRED ? [] : (process.env.TF_TIER_STACKS ?? "").split(",").filter(Boolean);
    const prepared: Prepared[] = variants.map((variant) => {
      const config = variant.makeConfig();
      const app = synthApp(config, true);
      const partition = partitionStacks(app, toolchain.toolchain.mirror);
      const chosen = variant.stacks;
      const unknown = (chosen ?? []).filter((id) => !(id in app.stacks));
      if (unknown.length) throw new Error(`${variant.label}: no stacks ${unknown.join(", ")}`);
      return {
        variant,
        app,
        runnable: partition.runnable
          .filter((id) => !chosen || chosen.includes(id))
          .filter((id) => !only.length || only.includes(id)),
        unavailable: Object.fromEntries(
          Object.entries(partition.unavailable).filter(([id]) => !chosen || chosen.includes(id)),
        ),
        // Each stack runs with the credentials of the account the runbook applies it in.
        accounts: Object.fromEntries(
          applySteps(firstDeployRunbook(config)).flatMap((s) =>
            s.accountId ? [[s.stack, s.accountId]] : [],
          ),
        ),
      };
    });
    const module = (p: Prepared, stack: string) => `${p.variant.key}-${stack}`;
    let sts: FakeSts | undefined;
    let together: Awaited<ReturnType<typeof planTogether>> | undefined;
    /** Stack by stack, only when the run of all of them failed: which stack, and why. */
    const alone: Record<string, StackRun> = {};

    beforeAll(async () => {
      sts = await startFakeSts();
      const credentials = (p: Prepared) => ({ accounts: p.accounts, stsEndpoint: sts!.endpoint });
      const entries: TogetherEntry[] = prepared.flatMap((p) =>
        p.runnable.map((stackId) => ({
          module: module(p, stackId),
          app: p.app,
          stackId,
          credentials: credentials(p),
        })),
      );
      if (entries.length === 0) return;
      together = await planTogether(toolchain.toolchain, entries);
      if (together.ok) return;
      console.warn(
        `terraform tier: the run of all stacks failed; re-running stack by stack\n${together.output.slice(-3000)}`,
      );
      for (const p of prepared) {
        const runs = await runStacks(toolchain.toolchain, p.app, p.runnable, credentials(p));
        for (const [stack, run] of Object.entries(runs)) alone[module(p, stack)] = run;
      }
    }, 1_200_000);
    afterAll(async () => {
      await sts?.close();
      for (const p of prepared) rmSync(p.app.outdir, { recursive: true, force: true });
    });

    for (const p of prepared) {
      describe(p.variant.label, () => {
        it("runs every stack whose providers are available", () => {
          if (only.length) return; // a narrowed local run may pick none of this config's stacks
          expect(p.runnable.length).toBeGreaterThan(0);
          if (!p.variant.stacks)
            expect(p.runnable.length + Object.keys(p.unavailable).length).toBe(
              Object.keys(p.app.stacks).length,
            );
        });
        for (const stack of p.runnable) {
          it(`${stack}: init and offline plan (which validates) succeed`, () => {
            const name = module(p, stack);
            if (together?.ok) {
              expect(together.toAdd[name] ?? 0, `${stack} plans no resource`).toBeGreaterThan(0);
              return;
            }
            const run = alone[name];
            expect(run, `no result for ${stack}`).toBeDefined();
            if (!run.ok)
              expect.fail(
                `terraform ${run.failedStep} failed for ${stack}:\n${run.output.slice(-6000)}`,
              );
            expect(run.toAdd).toBeGreaterThan(0);
          });
        }
        for (const [stack, reason] of Object.entries(p.unavailable)) {
          it.skip(`${stack}: ${reason}; validated by the infra repository's CI`, () => {});
        }
      });
    }
  });
}
