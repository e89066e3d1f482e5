import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  destructions,
  diffHighlight,
  DRIFT_ISSUE_MARKER,
  needsAttention,
  PLAN_COMMENT_MARKER,
  planCounts,
  readStackPlans,
  renderDriftReport,
  renderPlanComment,
  truncate,
  type PlanJson,
  type StackPlan,
} from "../../scripts/plan-comment";

// Real `terraform show -json` / `-no-color` output of a plan that creates, updates, deletes and
// replaces (terraform_data resources, Terraform 1.11.4), and of a plan with no changes.
const FIXTURES = join(__dirname, "fixtures");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const mixed: StackPlan = {
  stack: "ecr",
  plan: JSON.parse(fixture("plan-mixed.json")) as PlanJson,
  text: fixture("plan-mixed.txt"),
};
const noChanges: StackPlan = {
  stack: "network-staging",
  plan: JSON.parse(fixture("plan-no-changes.json")) as PlanJson,
  text: fixture("plan-no-changes.txt"),
};
const failed: StackPlan = {
  stack: "services-staging",
  error: "Error: Unable to find remote state\n\nNo stored state was found for the given workspace",
};
const driftOnly: StackPlan = {
  stack: "network-production",
  plan: {
    resource_changes: [
      { address: "aws_vpc.main", change: { actions: ["no-op"] } },
      { address: "data.aws_iam_policy_document.x", mode: "data", change: { actions: ["read"] } },
    ],
    resource_drift: [{ address: "aws_vpc.main", mode: "managed", change: { actions: ["update"] } }],
  },
  text: "Note: Objects have changed outside of Terraform\n",
};

describe("planCounts", () => {
  it("counts like Terraform: a replacement is one add and one destroy", () => {
    expect(planCounts(mixed.plan)).toEqual({
      add: 2,
      change: 1,
      destroy: 2,
      replace: 1,
      import: 0,
      drifted: 0,
      outputs: 1,
    });
    // The fixture's own summary line agrees.
    expect(mixed.text).toContain("Plan: 2 to add, 1 to change, 2 to destroy.");
  });

  it("counts nothing for a plan without changes, and ignores data sources", () => {
    expect(planCounts(noChanges.plan)).toMatchObject({ add: 0, change: 0, destroy: 0 });
    expect(planCounts(driftOnly.plan)).toMatchObject({ add: 0, change: 0, destroy: 0, drifted: 1 });
  });

  it("counts create-before-destroy replacements and imports", () => {
    const plan: PlanJson = {
      resource_changes: [
        { address: "a.b", change: { actions: ["create", "delete"] } },
        { address: "c.d", change: { actions: ["no-op"], importing: { id: "x" } } },
      ],
    };
    expect(planCounts(plan)).toMatchObject({ add: 1, destroy: 1, replace: 1, import: 1 });
  });
});

describe("destructions", () => {
  it("lists deleted and replaced addresses", () => {
    expect(destructions(mixed)).toEqual([
      { stack: "ecr", address: "terraform_data.gone", replace: false },
      { stack: "ecr", address: "terraform_data.replace", replace: true },
    ]);
    expect(destructions(noChanges)).toEqual([]);
  });
});

describe("renderPlanComment", () => {
  const comment = renderPlanComment([mixed, noChanges, failed], {
    runUrl: "https://github.com/acme-shop/shop-infra/actions/runs/42",
    commit: "0123456789abcdef0123456789abcdef01234567",
  });

  it("starts with the hidden marker the workflow finds the comment by", () => {
    expect(comment.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
    expect(comment).toContain("commit `0123456789ab`");
    expect(comment).toContain(
      "[workflow run](https://github.com/acme-shop/shop-infra/actions/runs/42)",
    );
  });

  it("has a summary table with add / change / destroy per stack, destroys in bold", () => {
    expect(comment).toContain("| Stack | To add | To change | To destroy |");
    expect(comment).toContain("| `ecr` | 2 | 1 | **:warning: 2** |");
    expect(comment).toContain("| `network-staging` (no changes) | 0 | 0 | 0 |");
    expect(comment).toContain("| `services-staging` | :x: plan failed | | |");
  });

  it("warns about every destroyed or replaced resource", () => {
    expect(comment).toContain("> [!WARNING]");
    expect(comment).toContain("**This plan destroys 2 resources**");
    expect(comment).toContain("> - `ecr`: `terraform_data.gone`\n");
    expect(comment).toContain("> - `ecr`: `terraform_data.replace` (replaced)");
  });

  it("has one collapsible plan per changed or failed stack, none for unchanged ones", () => {
    expect(comment).toContain(
      "<details><summary>:warning: <code>ecr</code>: 2 to add, 1 to change, 2 to destroy, 1 replaced</summary>",
    );
    expect(comment).toContain(
      "<details open><summary>:x: <code>services-staging</code>: plan failed</summary>",
    );
    expect(comment).toContain("Unable to find remote state");
    expect(comment).not.toContain("<code>network-staging</code>");
    expect(comment.match(/<details/g)).toHaveLength(2);
  });

  it("shows the plan text without the legend, highlighted as a diff", () => {
    expect(comment).toContain("```diff\nTerraform will perform the following actions:");
    expect(comment).not.toContain("Resource actions are indicated with the following symbols");
    expect(comment).toContain('+ + resource "terraform_data" "added"');
    expect(comment).toContain('- - resource "terraform_data" "gone"');
    expect(comment).toContain('! ~ resource "terraform_data" "change"');
    expect(comment).toContain('-/+ resource "terraform_data" "replace"');
  });

  it("says so when nothing changes", () => {
    const quiet = renderPlanComment([noChanges]);
    expect(quiet).toContain("No changes in any stack.");
    expect(quiet).not.toContain("[!WARNING]");
    expect(quiet).not.toContain("<details");
  });

  it("stays under GitHub's body limit, cutting long plans and pointing to the run log", () => {
    const huge: StackPlan = { ...mixed, text: `${mixed.text}\n${"  + x = 1\n".repeat(20_000)}` };
    const body = renderPlanComment([huge, { ...huge, stack: "ecr-2" }], {
      runUrl: "https://example.com/run",
    });
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/more lines cut; the full plan is in the \[workflow run log\]/);
  });

  it("keeps plan text that contains backticks inside its code block", () => {
    const tricky: StackPlan = { ...mixed, text: '  + resource "x" {\n      + a = "```"\n    }\n' };
    const body = renderPlanComment([tricky]);
    expect(body).toContain('````diff\n+ + resource "x" {');
  });
});

describe("renderDriftReport", () => {
  it("lists drifted and failed stacks with their counts, behind the issue marker", () => {
    const report = renderDriftReport([mixed, noChanges, driftOnly, failed]);
    expect(report.drifted).toBe(true);
    expect(report.body.startsWith(`${DRIFT_ISSUE_MARKER}\n## Infrastructure drift`)).toBe(true);
    expect(report.body).toContain(
      "| Stack | To add | To change | To destroy | Changed outside Terraform |",
    );
    expect(report.body).toContain("| `ecr` | 2 | 1 | **:warning: 2** | 0 |");
    expect(report.body).toContain("| `network-production` | 0 | 0 | 0 | 1 |");
    expect(report.body).toContain("| `services-staging` | :x: plan failed | | | |");
    expect(report.body).toContain("Stacks without drift: `network-staging`.");
    expect(report.body).not.toContain("| `network-staging`");
  });

  it("reports no drift when every stack matches", () => {
    const report = renderDriftReport([noChanges]);
    expect(report).toEqual({
      drifted: false,
      body: expect.stringContaining("## No infrastructure drift"),
    });
    expect(report.body.startsWith(DRIFT_ISSUE_MARKER)).toBe(true);
  });
});

describe("needsAttention", () => {
  it("is true for changes, drift and failures, false for a clean plan", () => {
    expect([mixed, driftOnly, failed].map(needsAttention)).toEqual([true, true, true]);
    expect(needsAttention(noChanges)).toBe(false);
  });
});

describe("helpers", () => {
  it("diffHighlight marks symbol lines and leaves the rest alone", () => {
    expect(diffHighlight("  + a\n  ~ b\n  - c\n-/+ d\nPlan: 1 to add")).toBe(
      "+ + a\n! ~ b\n- - c\n-/+ d\nPlan: 1 to add",
    );
  });

  it("truncate leaves short text alone", () => {
    expect(truncate("short", 100)).toBe("short");
  });
});

describe("readStackPlans (the files the workflow writes)", () => {
  it("reads json, text and failure logs per stack; a missing plan is a failure", () => {
    const dir = mkdtempSync(join(tmpdir(), "plans-"));
    writeFileSync(join(dir, "ecr.json"), fixture("plan-mixed.json"));
    writeFileSync(join(dir, "ecr.txt"), fixture("plan-mixed.txt"));
    writeFileSync(join(dir, "broken.log"), "Error: boom");
    const [ecr, broken, missing] = readStackPlans(dir, ["ecr", "broken", "missing"]);
    expect(ecr.error).toBeUndefined();
    expect(planCounts(ecr.plan).add).toBe(2);
    expect(broken.error).toBe("Error: boom");
    expect(missing.error).toBe("no plan file for missing");
  });
});
