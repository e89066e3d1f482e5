import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleConfig } from "../helpers/config";
import { startFakeSts, type FakeSts } from "../helpers/fake-sts";
import { synthApp, type SynthesizedApp } from "../helpers/synth";
import { AWS_PROVIDER_VERSION } from "../helpers/terraform-suite";
import { findToolchain } from "../helpers/terraform-env";
import { runStack, writeCliConfig } from "../helpers/terraform-tier";

/*
 * The tier keeps allowed_account_ids and assume_role and answers the provider's STS calls with a
 * local fake (test/helpers/fake-sts.ts), so it fails where a real run fails: here, a GitHub OIDC
 * stack whose second provider targets another account without assume_role (the day-one defect
 * of a two-account stack), planned with one account's credentials.
 */

const toolchain = findToolchain(AWS_PROVIDER_VERSION);
const REQUIRED = process.env.CI === "true" || process.env.TERRAFORM_TIER === "required";

describe.runIf(toolchain.ok || REQUIRED)(
  "terraform tier: provider credentials as real runs get them",
  () => {
    let sts: FakeSts;
    let app: SynthesizedApp;
    let work: string;
    beforeAll(async () => {
      if (!toolchain.ok) throw new Error(`Terraform tier is required here: ${toolchain.reason}`);
      sts = await startFakeSts();
      app = synthApp(exampleConfig(), true);
      work = mkdtempSync(join(tmpdir(), "tf-credentials-"));
    });
    afterAll(async () => {
      await sts?.close();
      rmSync(app.outdir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    });

    const run = (stacks: SynthesizedApp["stacks"], account: string) => {
      if (!toolchain.ok) throw new Error(toolchain.reason);
      const cli = writeCliConfig(work, toolchain.toolchain.mirror);
      return runStack(toolchain.toolchain, { ...app, stacks }, "github-oidc", work, cli, {
        accounts: { "github-oidc": account },
        stsEndpoint: sts.endpoint,
      });
    };

    it("refuses a stack whose providers target two accounts without assume_role", async () => {
      // The GitHub OIDC stack as it was before the split: its real provider block, plus one for
      // the production account; the second account's OIDC provider uses the aliased provider.
      const stacks = structuredClone(app.stacks);
      const oidc = stacks["github-oidc"];
      const providers = oidc.provider?.aws ?? [];
      providers.push({
        ...providers[0],
        alias: "acct-222222222222",
        allowed_account_ids: ["222222222222"],
      });
      const [provider] = Object.values(oidc.resource?.aws_iam_openid_connect_provider ?? {});
      // Only what shows the defect: the two providers and a resource on each.
      oidc.resource = {
        aws_iam_openid_connect_provider: {
          tooling: { ...provider },
          production: { ...provider, provider: "aws.acct-222222222222" },
        },
      };
      const result = await run(stacks, "111111111111");
      expect(result.failedStep).toBe("plan");
      expect(result.output).toMatch(/AWS account ID not allowed/);
      expect(result.output).toMatch(/acct-222222222222/);
      // The refusal came from the provider's own check against (fake) STS, as in a real run.
      expect(sts.calls).toContain("GetCallerIdentity AKIAMOCK111111111111");
    }, 300_000);
  },
);
