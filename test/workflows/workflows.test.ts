import { validateWorkflow } from "@action-validator/core";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DRIFT_ISSUE_MARKER, PLAN_COMMENT_MARKER } from "../../scripts/plan-comment";
import { ciStackOrder } from "../../scripts/stack-order";
import { administratorOnlyStacks, firstDeployRunbook } from "../../src/model/runbook";
import {
  INFRA_REPO_MANUAL_SECRETS,
  INFRA_REPO_VARIABLES,
} from "../../src/stacks/github-variable-names";
import { readSynthOutput, type SynthOutput } from "../../src/synth/output";
import { environmentOrder } from "../../src/synth/summary";
import { exampleConfig } from "../helpers/config";
import { synthApp, type SynthesizedApp } from "../helpers/synth";

const ROOT = join(__dirname, "..", "..");
const WORKFLOWS = ["plan", "deploy", "drift"] as const;

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly permissions?: Record<string, string>;
  readonly environment?: string | { name: string };
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
  readonly jobs: Record<string, Job>;
}

const text = (name: string) =>
  readFileSync(join(ROOT, ".github", "workflows", `${name}.yml`), "utf8");
const workflow = (name: string) => parse(text(name)) as Workflow;
const allSteps = (wf: Workflow) => Object.values(wf.jobs).flatMap((job) => job.steps);
const usesOidc = (job: Job) =>
  job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));

const config = exampleConfig();

describe.each(WORKFLOWS)("%s.yml", (name) => {
  it("is a valid workflow (action-validator's schema)", () => {
    const result = validateWorkflow(text(name));
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toEqual([]);
  });

  it("pins every action to a full commit SHA with a version comment", () => {
    const usesLines = text(name)
      .split("\n")
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(usesLines.length).toBeGreaterThan(0);
    for (const line of usesLines) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it("grants nothing by default and id-token: write only to jobs that use OIDC", () => {
    const wf = workflow(name);
    expect(wf.permissions).toEqual({});
    for (const [id, job] of Object.entries(wf.jobs)) {
      const permissions = job.permissions ?? {};
      expect(permissions, `${name}.${id}`).toMatchObject({ contents: "read" });
      const allowed = ["contents", "id-token", "pull-requests", "issues"];
      for (const [scope, level] of Object.entries(permissions)) {
        expect(allowed, `${name}.${id} asks for ${scope}`).toContain(scope);
        if (scope !== "contents") expect(level).toBe("write");
      }
      expect("id-token" in permissions, `${name}.${id} id-token`).toBe(usesOidc(job));
    }
  });

  it("reads only the variables the github-repos stack writes and the documented secrets", () => {
    const src = text(name);
    const vars = [...src.matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]);
    const secrets = [...src.matchAll(/\bsecrets\.([A-Z0-9_]+)/g)].map((m) => m[1]);
    for (const v of vars) expect(Object.values(INFRA_REPO_VARIABLES)).toContain(v);
    for (const s of secrets) expect(Object.values(INFRA_REPO_MANUAL_SECRETS)).toContain(s);
  });

  it("installs with npm ci on Node 20 and Terraform from .terraform-version, without the wrapper", () => {
    const steps = allSteps(workflow(name));
    for (const node of steps.filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
      expect(node.with).toMatchObject({ "node-version": 20, cache: "npm" });
    }
    for (const tf of steps.filter((s) => s.uses?.startsWith("hashicorp/setup-terraform@"))) {
      expect(tf.with).toMatchObject({
        terraform_version: "${{ steps.terraform-version.outputs.version }}",
        terraform_wrapper: false,
      });
    }
    expect(text(name)).toContain('echo "version=$(cat .terraform-version)"');
    expect(readFileSync(join(ROOT, ".terraform-version"), "utf8").trim()).toBe("1.11.4");
    expect(steps.some((s) => s.run?.startsWith("npm ci"))).toBe(true);
  });

  it("runs only scripts that exist", () => {
    for (const script of text(name).match(/scripts\/[\w/.-]+\.(ts|sh)/g) ?? []) {
      expect(existsSync(join(ROOT, script)), script).toBe(true);
    }
  });
});

describe("the same action is pinned to the same commit everywhere", () => {
  it("has one SHA per action", () => {
    const pins = new Map<string, Set<string>>();
    for (const name of WORKFLOWS) {
      for (const m of text(name).matchAll(/uses: ([\w./-]+)@([0-9a-f]{40})/g)) {
        if (!pins.has(m[1])) pins.set(m[1], new Set());
        pins.get(m[1])?.add(m[2]);
      }
    }
    for (const [action, shas] of pins) expect([...shas], action).toHaveLength(1);
  });
});

function oidcStep(wf: Workflow): Step | undefined {
  return allSteps(wf).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
}

describe("roles", () => {
  it("plans and checks drift with the plan role, deploys with the apply role", () => {
    const region = `\${{ vars.${INFRA_REPO_VARIABLES.awsRegion} }}`;
    expect(oidcStep(workflow("plan"))?.with).toMatchObject({
      "role-to-assume": `\${{ vars.${INFRA_REPO_VARIABLES.planRoleArn} }}`,
      "aws-region": region,
    });
    expect(oidcStep(workflow("drift"))?.with).toMatchObject({
      "role-to-assume": `\${{ vars.${INFRA_REPO_VARIABLES.planRoleArn} }}`,
      "aws-region": region,
    });
    expect(oidcStep(workflow("deploy"))?.with).toMatchObject({
      "role-to-assume": `\${{ vars.${INFRA_REPO_VARIABLES.applyRoleArn} }}`,
      "aws-region": region,
    });
  });
});

describe("per-account roles for stacks outside the tooling account", () => {
  it("hands the terraform script the account -> role map of the same kind as the job's role", () => {
    const roleMap = (name: string) =>
      allSteps(workflow(name)).find((s) => s.run?.includes("terraform-stacks.sh"))?.env?.ROLE_ARNS;
    expect(roleMap("plan")).toBe(`\${{ vars.${INFRA_REPO_VARIABLES.planRoleArns} }}`);
    expect(roleMap("drift")).toBe(`\${{ vars.${INFRA_REPO_VARIABLES.planRoleArns} }}`);
    expect(roleMap("deploy")).toBe(`\${{ vars.${INFRA_REPO_VARIABLES.applyRoleArns} }}`);
  });
});

describe("plan.yml", () => {
  const wf = workflow("plan");

  it("runs on pull requests: tests, then plans every stack and updates one marked comment", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.jobs.test.steps.some((s) => s.run === "npm test")).toBe(true);
    expect(wf.jobs.plan.permissions).toEqual({
      contents: "read",
      "id-token": "write",
      "pull-requests": "write",
    });
    expect(text("plan")).toContain("terraform-stacks.sh plan");
    expect(text("plan")).toContain(`MARKER: "${PLAN_COMMENT_MARKER}"`);
    expect(text("plan")).toContain("--method PATCH");
  });

  it("never gives the plan job an environment (the plan role trusts the pull_request subject)", () => {
    expect(wf.jobs.plan.environment).toBeUndefined();
  });
});

describe("deploy.yml", () => {
  const wf = workflow("deploy");

  it("runs on pushes to the apply branch, in the apply environment, never two at once", () => {
    expect(wf.on.push).toEqual({ branches: [config.github.infraApplyBranch] });
    expect(wf.jobs.deploy.environment).toBe(config.github.infraApplyEnvironment);
    expect(wf.concurrency).toEqual({ group: "infra-deploy", "cancel-in-progress": false });
    expect(text("deploy")).toContain("terraform-stacks.sh apply");
  });
});

describe("drift.yml", () => {
  const wf = workflow("drift");

  it("runs nightly and on demand, and keeps one marked issue", () => {
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
    expect(wf.on).toHaveProperty("workflow_dispatch");
    expect(wf.jobs.drift.permissions).toEqual({
      contents: "read",
      "id-token": "write",
      issues: "write",
    });
    expect(text("drift")).toContain("terraform-stacks.sh drift");
    expect(text("drift")).toContain(`MARKER: "${DRIFT_ISSUE_MARKER}"`);
    expect(text("drift")).toContain("gh issue close");
  });
});

describe("stack order the workflows run (scripts/stack-order.ts on the synthesized manifest)", () => {
  let app: SynthesizedApp;
  let output: SynthOutput;
  beforeAll(() => {
    app = synthApp(config, true);
    output = readSynthOutput(app.outdir);
  });
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

  it("lists every stack except the bootstrap state stack, each after its dependencies", () => {
    const order = ciStackOrder(output, environmentOrder(config));
    expect(order).not.toContain("state");
    expect([...order].sort()).toEqual(
      Object.keys(app.stacks)
        .filter((id) => id !== "state")
        .sort(),
    );
    for (const [id, deps] of Object.entries(app.dependencies)) {
      for (const dep of deps.filter((d) => order.includes(d))) {
        expect(order.indexOf(dep), `${dep} before ${id}`).toBeLessThan(order.indexOf(id));
      }
    }
  });

  it("finishes staging before production", () => {
    const order = ciStackOrder(output, environmentOrder(config));
    const staging = order.filter((id) => id.endsWith("-staging"));
    const production = order.filter((id) => id.endsWith("-production"));
    expect(staging.length).toBeGreaterThan(0);
    expect(Math.max(...staging.map((s) => order.indexOf(s)))).toBeLessThan(
      Math.min(...production.map((s) => order.indexOf(s))),
    );
  });

  it("puts the state stack first when asked for all stacks", () => {
    expect(ciStackOrder(output, environmentOrder(config), { all: true })[0]).toBe("state");
  });

  it("never lets CI apply the stacks that create its own roles; it only plans them", () => {
    const adminOnly = administratorOnlyStacks(firstDeployRunbook(config));
    expect(adminOnly.sort()).toEqual(["github-oidc", "github-oidc-222222222222", "state"]);
    const apply = ciStackOrder(output, environmentOrder(config), { exclude: adminOnly });
    const plan = ciStackOrder(output, environmentOrder(config));
    expect(apply.filter((id) => id.startsWith("github-oidc"))).toEqual([]);
    expect(plan).toEqual(expect.arrayContaining(["github-oidc", "github-oidc-222222222222"]));
    expect(apply).toContain("github-repos");
  });

  it("matches the variable names the github-repos stack writes on the infra repository", (ctx) => {
    const repos = app.stacks["github-repos"];
    if (!repos) ctx.skip();
    const written = Object.values(repos.resource?.github_actions_variable ?? {})
      .filter((v) => v.repository === config.github.infraRepository)
      .map((v) => v.variable_name);
    for (const name of Object.values(INFRA_REPO_VARIABLES)) expect(written).toContain(name);
  });

  // With TF_INPUT=0 a required Terraform variable without a value fails `terraform plan`
  // ("No value for required variable"), so every CI run of the stacks must pass each one.
  it.each(WORKFLOWS)(
    "%s.yml passes every required Terraform variable of the stacks as TF_VAR_*",
    (name) => {
      const required = Object.values(app.stacks).flatMap((stack) =>
        Object.entries(stack.variable ?? {})
          .filter(([, v]) => !("default" in v))
          .map(([id]) => id),
      );
      expect(required.length).toBeGreaterThan(0);
      const env =
        allSteps(workflow(name)).find((s) => s.run?.includes("terraform-stacks.sh"))?.env ?? {};
      for (const id of required) {
        expect(env[`TF_VAR_${id}`], `${name}.yml TF_VAR_${id}`).toMatch(
          /^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/,
        );
      }
    },
  );
});
