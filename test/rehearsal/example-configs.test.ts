import { describe, expect, it } from "vitest";
import { applySteps, firstDeployRunbook, type Runbook } from "../../src/model/runbook";
import { formatRehearsal } from "../../src/rehearsal/report";
import { rehearse } from "../../src/rehearsal/run";
import type { SynthOutput } from "../../src/synth/output";
import { exampleConfig } from "../helpers/config";
import { synthOutput } from "../helpers/rehearsal";
import { guardOptionsFromConfig, runGuards } from "../../src/policies/guard/runner";
import { SHIPPED_CONFIGS } from "../helpers/shipped-configs";
import { synthApp } from "../helpers/synth";

/*
 * The rehearsal on every configuration the project ships or plans: each first deploy, walked in
 * runbook order, meets no AWS apply-time or first-run rule it breaks. Then the five defects found
 * by reading the synthesized output against AWS behaviour, put back one at a time into the real
 * example output (or its runbook): each must make the rehearsal fail with the rule that models it.
 */

const CONFIGS = SHIPPED_CONFIGS;

describe("the shipped configurations: rehearsal and guard", () => {
  for (const [name, make] of Object.entries(CONFIGS)) {
    it(`${name}: every stack applies and the first pipeline run starts cleanly`, async () => {
      const config = make();
      const output = synthOutput(config);
      const runbook = firstDeployRunbook(config);
      const result = await rehearse(output, runbook);
      expect(result.findings, formatRehearsal(result)).toEqual([]);
      expect([...result.order].sort()).toEqual(Object.keys(output.stacks).sort());
      expect(result.order).toEqual(applySteps(runbook).map((s) => s.stack));
    });

    // Synth fails on an error-level guard finding: every shipped configuration passes them all
    // (in this file, so each configuration is synthesized once per test run).
    it(`${name}: no error-level guard finding, and every suppression still suppresses one`, () => {
      const config = make();
      const app = synthApp(config);
      const report = runGuards(app.stacks, guardOptionsFromConfig(config));
      expect(report.stacks).toEqual(Object.keys(app.stacks).sort());
      const errors = report.findings
        .filter((f) => f.severity === "error")
        .map((f) => `${f.ruleId} ${f.stackId} ${f.address}: ${f.message}`);
      expect(errors).toEqual([]);
      for (const s of report.suppressions) {
        expect(s.reason.length, `${s.ruleId} on ${s.address}`).toBeGreaterThan(10);
        expect(s.used, `${s.ruleId} on ${s.address} no longer matches a finding`).toBe(true);
      }
    });
  }
});

/** The example output with one stack's JSON edited. */
function editStack(
  output: SynthOutput,
  stack: string,
  edit: (doc: Record<string, unknown>) => void,
): SynthOutput {
  const copy = structuredClone(output) as { stacks: Record<string, { document: unknown }> };
  edit(copy.stacks[stack].document as Record<string, unknown>);
  return copy as unknown as SynthOutput;
}

function withoutOperatorStep(runbook: Runbook, action: string): Runbook {
  return { steps: runbook.steps.filter((s) => s.kind !== "operator" || s.action !== action) };
}

describe("rehearsal: the five day-one defects, each put back, fail it", () => {
  const config = exampleConfig();
  const output = synthOutput(config);
  const runbook = firstDeployRunbook(config);
  const rulesOf = async (o: SynthOutput, r: Runbook) =>
    [...new Set((await rehearse(o, r)).findings.map((f) => `${f.rule} ${f.stack}`))].sort();

  it("1. a GitHub OIDC stack with providers for two accounts and no assume_role", async () => {
    const broken = editStack(output, "github-oidc", (doc) => {
      const providers = (doc.provider as { aws: Record<string, unknown>[] }).aws;
      providers.push({
        ...providers[0],
        alias: "acct-222222222222",
        allowed_account_ids: ["222222222222"],
      });
    });
    expect(await rulesOf(broken, runbook)).toContain("STACK_CREDENTIALS github-oidc");
  });

  it("2. the pipeline created before the cross-account role its production action uses", async () => {
    const steps = [...runbook.steps];
    const access = steps.findIndex(
      (s) => s.kind === "apply" && s.stack === "pipeline-access-production",
    );
    const [moved] = steps.splice(access, 1);
    steps.push(moved);
    expect(await rulesOf(output, { steps })).toContain("PIPELINE_ACTION_ROLES pipeline");
  });

  it("3. the environment key's EventBridge statement pinned with aws:SourceAccount", async () => {
    const broken = editStack(output, "network-production", (doc) => {
      const keys = (doc.resource as Record<string, Record<string, { policy: string }>>).aws_kms_key;
      for (const key of Object.values(keys)) {
        const policy = JSON.parse(key.policy) as { Statement: Record<string, unknown>[] };
        for (const s of policy.Statement) {
          if (JSON.stringify(s.Principal).includes("events.amazonaws.com")) {
            s.Condition = { StringEquals: { "aws:SourceAccount": "222222222222" } };
          }
        }
        key.policy = JSON.stringify(policy);
      }
    });
    expect(await rulesOf(broken, runbook)).toContain("ENCRYPTED_DESTINATIONS services-production");
  });

  it("4. services started before their secrets have values", async () => {
    expect(await rulesOf(output, withoutOperatorStep(runbook, "set-secret-values"))).toEqual([
      "TASKS_CAN_START services-production",
      "TASKS_CAN_START services-staging",
    ]);
  });

  it("5. a CodeCommit config source without its branch when the pipeline is created", async () => {
    expect(await rulesOf(output, withoutOperatorStep(runbook, "seed-config-repository"))).toEqual([
      "PIPELINE_SOURCES pipeline",
    ]);
  });

  it("and the first images: services and ECR sources need the release tag published first", async () => {
    expect(await rulesOf(output, withoutOperatorStep(runbook, "publish-images"))).toEqual([
      "PIPELINE_SOURCES pipeline",
      "TASKS_CAN_START services-production",
      "TASKS_CAN_START services-staging",
    ]);
  });
});
