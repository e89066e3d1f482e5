import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  breaks,
  checkUpgrade,
  differingPaths,
  formatUpgradeReport,
} from "../../scripts/provider-upgrade";

/*
 * scripts/provider-upgrade.ts (`npm run upgrade:provider`) reports what a provider bump breaks.
 * Offline, the "new" bindings are this checkout's own with a resource module the app imports
 * taken away (a resource removed upstream): the check must name the file that imports it and
 * fail the synth, and say the upgrade breaks the app.
 */

const ROOT = join(__dirname, "..", "..");
const MODULES = join(ROOT, "node_modules");

/** A node_modules folder with our bindings, minus `@cdktf/provider-aws/lib/<removed>`. */
function bindingsWithout(removed: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-bindings-"));
  const aws = join(dir, "@cdktf", "provider-aws");
  mkdirSync(join(aws, "lib"), { recursive: true });
  const real = join(MODULES, "@cdktf", "provider-aws");
  for (const entry of readdirSync(real)) {
    if (entry !== "lib") symlinkSync(join(real, entry), join(aws, entry));
  }
  for (const entry of readdirSync(join(real, "lib"))) {
    if (entry !== removed) symlinkSync(join(real, "lib", entry), join(aws, "lib", entry));
  }
  for (const other of readdirSync(join(MODULES, "@cdktf"))) {
    if (other.startsWith("provider-") && other !== "provider-aws") {
      symlinkSync(join(MODULES, "@cdktf", other), join(dir, "@cdktf", other));
    }
  }
  symlinkSync(join(MODULES, "cdktf"), join(dir, "cdktf"));
  symlinkSync(join(MODULES, "constructs"), join(dir, "constructs"));
  return dir;
}

describe("provider upgrade check", () => {
  const cleanup: string[] = [];
  afterAll(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("names the code that uses a resource the new bindings no longer have", () => {
    const bindings = bindingsWithout("s3-bucket-notification");
    cleanup.push(bindings);
    const report = checkUpgrade({ bindings });
    cleanup.push(report.scratch);

    expect(report.bindings.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(report.compileErrors).toContainEqual(
      expect.objectContaining({
        file: "src/stacks/pipeline-stack.ts",
        message: expect.stringContaining("@cdktf/provider-aws/lib/s3-bucket-notification"),
      }),
    );
    expect(report.synthError).toMatch(/s3-bucket-notification/);
    expect(breaks(report)).toBe(true);
    expect(formatUpgradeReport(report)).toMatch(
      /src\/stacks\/pipeline-stack\.ts:\d+ .*s3-bucket-notification[\s\S]*the upgrade breaks the app/,
    );
  }, 120_000);

  it("sees a re-shaped argument in the synthesized JSON, not the version constraint", () => {
    const isConstraint = (p: string) => p === ".terraform.required_providers.aws.version";
    const before = {
      terraform: { required_providers: { aws: { version: "5.100.0" } } },
      resource: { aws_s3_bucket: { logs: { bucket: "b", acl: "private" } } },
    };
    const after = {
      terraform: { required_providers: { aws: { version: "6.25.0" } } },
      resource: { aws_s3_bucket: { logs: { bucket: "b", access_control: ["private"] } } },
    };
    expect(differingPaths(before, after, isConstraint)).toEqual([
      ".resource.aws_s3_bucket.logs.access_control",
      ".resource.aws_s3_bucket.logs.acl",
    ]);
    expect(differingPaths(before, { ...before, terraform: after.terraform }, isConstraint)).toEqual(
      [],
    );
  });
});
