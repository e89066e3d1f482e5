import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configProblems, exampleConfig, hcpRemoteConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";
import { synthApp, type StackJson } from "../helpers/synth";

/*
 * The hcp-workspaces stack (tfe provider): HCP Terraform's side of every stack, read from the
 * synthesized JSON as HCP Terraform would apply it, and checked against the other stacks: every
 * workspace a stack's cloud block names exists, state is shared exactly with the stacks that read
 * it, and remote runs name roles that exist and trust exactly that workspace.
 */

type Resources = Record<string, Record<string, unknown>>;
const TERRAFORM_VERSION = readFileSync(
  join(__dirname, "..", "..", ".terraform-version"),
  "utf8",
).trim();

function workspacesOf(stack: StackJson) {
  const resources = (stack.resource ?? {}) as Record<string, Resources>;
  const byRef = new Map<string, string>();
  for (const [key, ws] of Object.entries(resources.tfe_workspace ?? {})) {
    byRef.set(`\${tfe_workspace.${key}.id}`, ws.name as string);
  }
  const name = (ref: unknown) => byRef.get(ref as string) ?? `(unknown ${String(ref)})`;
  const settings = new Map(
    Object.values(resources.tfe_workspace_settings ?? {}).map((s) => [
      name(s.workspace_id),
      {
        execution: s.execution_mode as string,
        global: s.global_remote_state as boolean,
        consumers: (s.remote_state_consumer_ids as string[]).map(name).sort(),
      },
    ]),
  );
  const env = new Map<string, Record<string, string>>();
  for (const v of Object.values(resources.tfe_variable ?? {})) {
    const ws = name(v.workspace_id);
    env.set(ws, { ...env.get(ws), [v.key as string]: v.value as string });
    expect(v.category).toBe("env");
  }
  return { workspaces: Object.values(resources.tfe_workspace ?? {}), settings, env };
}

/** Producer workspace -> the workspaces whose stacks read its state. */
function readers(stacks: Record<string, StackJson>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const stack of Object.values(stacks)) {
    const own = (stack.terraform?.cloud as { workspaces?: { name?: string } } | undefined)
      ?.workspaces?.name;
    const sources = (stack.data?.terraform_remote_state ?? {}) as Record<
      string,
      { backend: string; config: { workspaces: { name: string } } }
    >;
    for (const source of Object.values(sources)) {
      expect(source.backend).toBe("remote");
      const producer = source.config.workspaces.name;
      out.set(producer, (out.get(producer) ?? new Set()).add(own as string));
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

describe("hcp-workspaces stack", () => {
  const app = synthApp(hcpRemoteConfig());
  const stack = app.stacks["hcp-workspaces"];
  const { workspaces, settings, env } = workspacesOf(stack);
  const cloudWorkspace = (id: string) =>
    (app.stacks[id].terraform?.cloud as { workspaces: { name: string } } | undefined)?.workspaces
      .name ?? `acme-shop-${id}`;

  it("creates the workspace every stack's cloud block names, its own included, in one project", () => {
    const names = workspaces.map((w) => w.name).sort();
    expect(names).toEqual(Object.keys(app.stacks).map(cloudWorkspace).sort());
    expect(stack.resource?.tfe_project).toEqual({
      Project: expect.objectContaining({ name: "acme-shop" }),
    });
    for (const ws of workspaces) {
      expect(ws.project_id).toBe("${tfe_project.Project.id}");
      expect(ws.terraform_version).toBe(TERRAFORM_VERSION);
      // Settings live in tfe_workspace_settings: the workspace's own copies are deprecated.
      expect(ws).not.toHaveProperty("execution_mode");
      expect(ws).not.toHaveProperty("remote_state_consumer_ids");
      expect(ws).not.toHaveProperty("global_remote_state");
      expect(ws).not.toHaveProperty("vcs_repo");
    }
  });

  it("shares each workspace's state with exactly the workspaces whose stacks read it, never globally", () => {
    const expected = readers(app.stacks);
    expect(expected.size).toBeGreaterThan(3);
    for (const [workspace, s] of settings) {
      expect(s.global, workspace).toBe(false);
      expect(s.consumers, workspace).toEqual(expected.get(workspace) ?? []);
    }
  });

  it("runs the stacks CI deploys remotely and the bootstrap stacks locally", () => {
    const modes = Object.fromEntries(
      [...settings].map(([ws, s]) => [ws.replace(/^acme-shop-/, ""), s.execution]),
    );
    expect(modes).toEqual({
      "hcp-workspaces": "local",
      "github-oidc": "local",
      "github-oidc-222222222222": "local",
      "github-repos": "local",
      ecr: "remote",
      "network-staging": "remote",
      "secrets-staging": "remote",
      "services-staging": "remote",
      "network-production": "remote",
      "secrets-production": "remote",
      "services-production": "remote",
      "pipeline-access-production": "remote",
      pipeline: "remote",
    });
  });

  it("gives each remote workspace dynamic credentials: roles that exist in its stack's account and trust exactly its phases", async () => {
    const iam = platformIam(hcpRemoteConfig());
    for (const [workspace, s] of settings) {
      const vars = env.get(workspace);
      if (s.execution === "local") {
        expect(vars, workspace).toBeUndefined();
        continue;
      }
      const id = workspace.replace(/^acme-shop-/, "");
      const account = (app.stacks[id].provider?.aws?.[0] as { allowed_account_ids: string[] })
        .allowed_account_ids[0];
      expect(vars, workspace).toEqual({
        TFC_AWS_PROVIDER_AUTH: "true",
        TFC_AWS_PLAN_ROLE_ARN: `arn:aws:iam::${account}:role/acme-shop-hcp-plan`,
        TFC_AWS_APPLY_ROLE_ARN: `arn:aws:iam::${account}:role/acme-shop-hcp-apply`,
      });
      const token = (phase: string) => ({
        host: "app.terraform.io",
        aud: "aws.workload.identity",
        sub: `organization:acme:project:acme-shop:workspace:${workspace}:run_phase:${phase}`,
      });
      const plan = vars?.TFC_AWS_PLAN_ROLE_ARN as string;
      const apply = vars?.TFC_AWS_APPLY_ROLE_ARN as string;
      expect(await iam.assumeWithToken(plan, token("plan")), workspace).toBe(true);
      expect(await iam.assumeWithToken(apply, token("apply")), workspace).toBe(true);
      expect(await iam.assumeWithToken(apply, token("plan")), workspace).toBe(false);
    }
  });

  it("takes the HCP token from the environment only, and starts with local state", () => {
    expect(stack.provider?.tfe).toEqual([
      expect.not.objectContaining({ token: expect.anything() }),
    ]);
    expect(JSON.stringify(stack)).not.toMatch(/TFE_TOKEN|"token"/);
    expect(stack.terraform?.backend).toEqual({
      local: { path: "../../../terraform.hcp-workspaces.tfstate" },
    });
    expect(app.dependencies["ecr"]).toContain("hcp-workspaces");
  });

  it("moves into its own workspace once migrated", () => {
    const migrated = synthApp(
      hcpRemoteConfig((c) => {
        (c.state as { workspacesStackBackend?: string }).workspacesStackBackend = "hcp";
      }),
    ).stacks["hcp-workspaces"];
    expect(migrated.terraform?.backend).toBeUndefined();
    expect(migrated.terraform?.cloud).toEqual(
      expect.objectContaining({
        organization: "acme",
        workspaces: { name: "acme-shop-hcp-workspaces" },
      }),
    );
  });

  it("with local execution: every workspace local, no dynamic credentials, GitHub apply roles kept", () => {
    const local = synthApp(
      exampleConfig((c) => {
        c.state = { backend: "hcp", organization: "acme", workspacePrefix: "acme-shop-" };
      }),
    );
    const parsed = workspacesOf(local.stacks["hcp-workspaces"]);
    expect([...parsed.settings.values()].map((s) => s.execution)).toEqual(
      Array(parsed.settings.size).fill("local"),
    );
    expect(parsed.env.size).toBe(0);
    expect(local.text["github-oidc"]).toContain('"acme-shop-github-infra-apply"');
    expect(local.text["github-oidc"]).not.toContain("acme-shop-hcp-apply");
  });

  it("does not exist with the S3 backend", () => {
    expect(synthApp(exampleConfig()).stacks["hcp-workspaces"]).toBeUndefined();
  });

  it.each([
    [{ execution: "sometimes" }, /state.execution: "sometimes" is not valid.*local.*remote/],
    [{ project: " padded" }, /state.project: " padded".*HCP Terraform project names/],
    [{ hostname: "https://app.terraform.io" }, /state.hostname: "https:\/\/app.terraform.io"/],
  ])("refuses a bad HCP setting %j", (setting, message) => {
    const problems = configProblems((c) => {
      c.state = { backend: "hcp", organization: "acme", ...setting };
    });
    expect(problems.join("\n")).toMatch(message);
  });
});
