import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { PlatformConfig } from "../../src/config";
import { exampleConfig, exampleInput, hcpRemoteConfig } from "../helpers/config";
import { synthApp } from "../helpers/synth";

/*
 * scripts/ci/terraform-stacks.sh with a STACKS selection (deploy.yml's workflow_dispatch input on
 * the first deploy): a stack CI may not apply (an administrator-only GitHub OIDC stack) stops the
 * run before terraform runs at all.
 */

const ROOT = join(__dirname, "..", "..");
/** The stand-ins run bash directly (through `env` that is one more process per call). */
const BASH = execFileSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).trim();

interface ScriptRun {
  /** Folder of stand-ins put first on PATH. */
  readonly bin: string;
  readonly outdir: string;
  readonly configFile: string;
  readonly stacks: string;
  /** The file the stand-ins append their calls to (emptied first). */
  readonly log: string;
  readonly env: Record<string, string>;
}

/**
 * Executable bash stand-ins in `<work>/bin` (name -> script after the `#!` line, given the path
 * of the log they append their calls to).
 */
function standIns(work: string, scripts: (log: string) => Record<string, string>) {
  const bin = join(work, "bin");
  mkdirSync(bin);
  const log = join(work, "calls.log");
  for (const [name, body] of Object.entries(scripts(log))) {
    writeFileSync(join(bin, name), `#!${BASH}\n${body}`, { mode: 0o755 });
  }
  return { bin, log };
}

/** Runs scripts/ci/terraform-stacks.sh with stand-ins; its result and the calls they logged. */
function runScript(mode: string, out: string, run: ScriptRun) {
  rmSync(run.log, { force: true });
  const result = spawnSync("bash", ["scripts/ci/terraform-stacks.sh", mode, out], {
    cwd: ROOT,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${run.bin}:${process.env.PATH}`,
      PLATFORM_OUTDIR: run.outdir,
      PLATFORM_CONFIG: run.configFile,
      STACKS: run.stacks,
      GITHUB_OUTPUT: "",
      ...run.env,
    },
    timeout: 60_000,
  });
  const calls = readFileSync(run.log, "utf8").trim().split("\n");
  return { ...result, calls };
}

describe("terraform-stacks.sh STACKS selection", () => {
  const app = synthApp(exampleConfig(), true);
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));
  const run = (mode: string, stacks: string) =>
    spawnSync("bash", ["scripts/ci/terraform-stacks.sh", mode, join(app.outdir, "plans")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PLATFORM_OUTDIR: app.outdir, STACKS: stacks, GITHUB_OUTPUT: "" },
      timeout: 60_000,
    });

  it("refuses to apply a stack that creates the roles CI assumes", () => {
    const result = run("apply", "ecr github-oidc-222222222222");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/"github-oidc-222222222222" is not a stack CI may apply here/);
    expect(result.stdout).not.toMatch(/terraform/);
  });

  it("refuses an unknown stack id", () => {
    const result = run("plan", "network-prod");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/"network-prod" is not a stack CI may plan here/);
  });
});

/*
 * HCP Terraform with remote execution, with stand-ins for `terraform` and `curl` that behave as
 * the real ones do towards HCP Terraform: a remote `plan -out` saves a cloud plan bookmark, a
 * remote plan prints its run's URL, and `show -json` of a cloud plan fails without workspace
 * admin rights. Pull requests must get speculative runs (never confirmable), the JSON plan must
 * come from the run's redacted JSON, and local plans of HCP workspaces must not take the lock.
 */
describe("terraform-stacks.sh with HCP Terraform remote execution", () => {
  const work = mkdtempSync(join(tmpdir(), "tf-stacks-hcp-"));
  const app = synthApp(hcpRemoteConfig(), true);
  const configFile = join(work, "platform.yaml");
  writeFileSync(configFile, stringify({ ...exampleInput(), state: hcpRemoteConfig().state }));
  const { bin, log } = standIns(work, (log) => ({
    terraform: `dir="\${1#-chdir=}"; shift
stack="\${dir##*/}"
echo "terraform $stack $*" >>"${log}"
# The cloud block's workspace name (jq per call made these the slowest unit tests).
remote=$(grep -A1 '"workspaces": {' "$dir/cdk.tf.json" | sed -n 's/.*"name": "\\(.*\\)".*/\\1/p')
case "$1" in
  init) exit 0 ;;
  plan)
    run="run-$stack"
    if grep -qx -- "$stack" <<<"$FAKE_REMOTE_STACKS"; then
      echo "To view this run in a browser, visit:"
      echo "https://app.terraform.io/app/acme/$remote/runs/$run"
      for a in "$@"; do [ "$a" = -out=plan.tfplan ] && echo "{\\"remote_plan_format\\":1,\\"run_id\\":\\"$run\\",\\"hostname\\":\\"app.terraform.io\\"}" >"$dir/plan.tfplan"; done
    else
      for a in "$@"; do [ "$a" = -out=plan.tfplan ] && echo LOCALPLAN >"$dir/plan.tfplan"; done
    fi
    echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;
  show)
    if [ "$2" = -json ] || [ "$3" = -json ]; then
      grep -q remote_plan_format "$dir/plan.tfplan" && { echo "Error: insufficient rights to generate a JSON plan" >&2; exit 1; }
      echo '{"format_version":"1.2","local":true}'
    else
      echo "Plan: 1 to add"
    fi ;;
  apply) exit 0 ;;
esac
`,
    curl: `url="\${*: -1}"
echo "curl $url $*" >>"${log}"
[ -n "$FAKE_CURL_FAIL" ] && exit 22
case "$url" in
  */api/v2/runs/*) echo '{"data":{"relationships":{"plan":{"data":{"id":"plan-'"\${url##*/run-}"'"}}}}}' ;;
  */json-output-redacted) echo '{"format_version":"1.2","redacted":true}' ;;
  *) exit 22 ;;
esac
`,
  }));
  afterAll(() => {
    rmSync(app.outdir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });
  const REMOTE = ["ecr", "network-staging", "pipeline"];
  const run = (mode: string, stacks: string, env: Record<string, string> = {}) => {
    const out = join(work, `out-${mode}-${Math.random().toString(36).slice(2)}`);
    const result = runScript(mode, out, {
      bin,
      outdir: app.outdir,
      configFile,
      stacks,
      log,
      env: {
        TF_TOKEN_app_terraform_io: "token-123",
        FAKE_REMOTE_STACKS: REMOTE.join("\n"),
        ...env,
      },
    });
    return { ...result, out };
  };

  it("plans pull requests as speculative runs and reads their redacted JSON plan", () => {
    const result = run("plan", "github-oidc ecr");
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const plans = result.calls.filter((c) => c.includes(" plan "));
    expect(plans).toEqual([
      expect.stringMatching(/^terraform ecr plan -input=false -no-color$/),
      expect.stringMatching(/^terraform github-oidc plan .*-lock=false .*-out=plan\.tfplan/),
    ]);
    expect(result.calls).toContainEqual(
      expect.stringContaining(
        "https://app.terraform.io/api/v2/plans/plan-ecr/json-output-redacted",
      ),
    );
    expect(result.calls.join("\n")).toContain("Authorization: Bearer token-123");
    expect(JSON.parse(readFileSync(join(result.out, "ecr.json"), "utf8"))).toEqual(
      expect.objectContaining({ redacted: true }),
    );
    expect(JSON.parse(readFileSync(join(result.out, "github-oidc.json"), "utf8"))).toEqual(
      expect.objectContaining({ local: true }),
    );
  });

  it("applies exactly the saved cloud plan of each remote run, its JSON read from the run", () => {
    const result = run("apply", "ecr network-staging");
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const ecr = result.calls.filter((c) => c.startsWith("terraform ecr "));
    expect(ecr.map((c) => c.split(" ")[2])).toEqual(["init", "plan", "show", "apply"]);
    expect(ecr[1]).toMatch(/-lock-timeout=5m .*-out=plan\.tfplan/);
    expect(ecr[3]).toMatch(/apply .*plan\.tfplan$/);
    expect(result.calls).not.toContainEqual(expect.stringMatching(/terraform ecr show -json/));
    expect(readFileSync(join(result.out, "network-staging.json"), "utf8")).toContain("redacted");
  });

  it("fails, and applies nothing further, when a run's plan cannot be read", () => {
    const result = run("apply", "ecr network-staging", { FAKE_CURL_FAIL: "1" });
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toMatch(
      /could not read the plan of ecr's HCP Terraform run run-ecr/,
    );
    expect(result.calls.filter((c) => c.includes(" apply"))).toEqual([]);
    expect(result.calls.some((c) => c.startsWith("terraform network-staging"))).toBe(false);
  });
});

/*
 * Which credentials each stack's terraform gets (stand-ins for terraform, aws and curl record
 * them): the GitHub token only where the GitHub provider runs, the HCP token (as TFE_TOKEN) only
 * where the tfe provider runs, and a stack in another account than the job's runs with that
 * account's role from ROLE_ARNS, assumed with the job's OIDC token, never with the job's own.
 */
describe("terraform-stacks.sh hands each stack only its own credentials", () => {
  const work = mkdtempSync(join(tmpdir(), "tf-stacks-creds-"));
  const { bin, log } = standIns(work, (log) => ({
    terraform: `dir="\${1#-chdir=}"; shift
echo "terraform \${dir##*/} $1 github=\${GITHUB_TOKEN:-} tfe=\${TFE_TOKEN:-} key=\${AWS_ACCESS_KEY_ID:-}" >>"${log}"
case "$1" in
  plan) for a in "$@"; do [ "$a" = -out=plan.tfplan ] && echo plan >"$dir/plan.tfplan"; done ;;
  show) [ "$2" = -json ] && echo '{}' || echo "Plan: 0 to add" ;;
esac
exit 0
`,
    aws: `echo "aws $*" >>"${log}"
case "$1 $2" in
  "sts get-caller-identity") echo 111111111111 ;;
  "sts assume-role-with-web-identity")
    role="$4"; account="\${role#arn:aws:iam::}"; account="\${account%%:*}"
    echo "{\\"Credentials\\":{\\"AccessKeyId\\":\\"AKIA-$account\\",\\"SecretAccessKey\\":\\"s\\",\\"SessionToken\\":\\"t\\"}}" ;;
  *) exit 1 ;;
esac
`,
    curl: `echo "curl $*" >>"${log}"
echo '{"value":"oidc-token"}'
`,
  }));
  const run = (config: PlatformConfig, stacks: string) => {
    const app = synthApp(config, true);
    const configFile = join(work, "platform.yaml");
    writeFileSync(configFile, stringify(config));
    const result = runScript("plan", join(work, `out-${Date.now()}`), {
      bin,
      outdir: app.outdir,
      configFile,
      stacks,
      log,
      env: {
        AWS_ACCESS_KEY_ID: "ambient",
        INFRA_GITHUB_TOKEN: "ghs-infra",
        TF_TOKEN_app_terraform_io: "hcp-token",
        ROLE_ARNS: JSON.stringify({ "222222222222": "arn:aws:iam::222222222222:role/plan" }),
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/?x=1",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      },
    });
    rmSync(app.outdir, { recursive: true, force: true });
    const calls = result.calls;
    const plans = Object.fromEntries(
      calls
        .filter((c) => / plan github=/.test(c))
        .map((c) => [c.split(" ")[1], c.split(" ").slice(3).join(" ")]),
    );
    return { ...result, calls, plans };
  };
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("gives the GitHub token to the GitHub stack only, and other accounts their own role", () => {
    const result = run(exampleConfig(), "github-repos network-staging network-production");
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(result.plans).toEqual({
      "github-repos": "github=ghs-infra tfe= key=ambient",
      "network-staging": "github= tfe= key=ambient",
      "network-production": "github= tfe= key=AKIA-222222222222",
    });
    expect(result.calls).toContainEqual(
      expect.stringMatching(
        /^aws sts assume-role-with-web-identity --role-arn arn:aws:iam::222222222222:role\/plan .*--web-identity-token oidc-token /,
      ),
    );
    // The assumed keys are masked in the job's log.
    expect(result.stdout).toContain("::add-mask::AKIA-222222222222");
  });

  it("gives the HCP token to the stack that runs the tfe provider only", () => {
    const config = hcpRemoteConfig((c) => {
      (c.state as { workspacesStackBackend?: string }).workspacesStackBackend = "hcp";
    });
    const result = run(config, "hcp-workspaces github-repos");
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(result.plans["hcp-workspaces"]).toMatch(/^github= tfe=hcp-token /);
    expect(result.plans["github-repos"]).toMatch(/^github=ghs-infra tfe= /);
  });
});
