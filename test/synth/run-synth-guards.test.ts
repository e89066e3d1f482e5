import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { runSynth } from "../../src/synth/run-synth";
import { EXAMPLE_CONFIG_PATH, exampleInput } from "../helpers/config";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "run-synth-guards-"));
}

describe("guard rules inside synth", () => {
  it("writes guard-report.json and guard-report.md next to the stacks", () => {
    const out = join(tempDir(), "cdktf.out");
    const result = runSynth(
      { argv: ["--config", EXAMPLE_CONFIG_PATH], env: { PLATFORM_OUTDIR: out } },
      loadConfig,
    );
    expect(result.errors).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/Guard rules: 0 errors, \d+ warnings, \d+ suppressed/);
    const report = JSON.parse(readFileSync(join(out, "guard-report.json"), "utf8")) as {
      counts: { error: number };
      stacks: string[];
    };
    expect(report.counts.error).toBe(0);
    expect(report.stacks).toContain("state");
    expect(readFileSync(join(out, "guard-report.md"), "utf8")).toMatch(/^# Guard report/);
  });

  it("an error-level finding fails synth with the list and leaves the previous output", () => {
    const dir = tempDir();
    const out = join(dir, "cdktf.out");
    mkdirSync(join(out, "stacks", "old"), { recursive: true });
    writeFileSync(join(out, "stacks", "old", "cdk.tf.json"), '{"previous":true}');
    // Validation refuses this config; the guard is the second line behind it, so the config
    // is changed after validation here.
    const config = join(dir, "unprotected.yaml");
    writeFileSync(config, stringify(exampleInput()));
    const unprotected = (file: string) => {
      const valid = loadConfig(file);
      return {
        ...valid,
        environments: {
          ...valid.environments,
          production: {
            ...valid.environments.production,
            loadBalancer: {
              ...valid.environments.production.loadBalancer,
              deletionProtection: false,
            },
          },
        },
      };
    };
    const result = runSynth(
      { argv: ["--config", config], env: { PLATFORM_OUTDIR: out } },
      unprotected,
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toMatch(/Guard rules found 1 error/);
    expect(result.errors).toMatch(
      /ALB_DELETION_PROTECTION {2}network-production {2}aws_lb\.\S+\n {6}internet-facing load balancer without deletion protection; set enable_deletion_protection = true/,
    );
    expect(readdirSync(join(out, "stacks"))).toEqual(["old"]);
    expect(existsSync(join(out, "guard-report.json"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["cdktf.out", "unprotected.yaml"]);
  });
});
