import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { placeholderForExpression } from "./placeholders";
import type { StackJson, SynthesizedApp } from "./synth";
import { mockAccessKey } from "./fake-sts";
import { mirrorHasProvider, type TerraformToolchain } from "./terraform-env";

/**
 * The offline Terraform tier: each synthesized stack is rewritten for an offline run (local
 * backend, mock credentials of the runbook account answered by a local fake STS, remote-state inputs served from
 * local state files with placeholder outputs) and run through real `terraform init` and `plan`
 * (plan validates the configuration first: a separate `terraform validate` would start the AWS
 * provider once more, ~5 s, to check nothing plan does not).
 */

export interface StackRun {
  readonly stack: string;
  readonly ok: boolean;
  /** Which step failed, if any. */
  readonly failedStep?: "init" | "plan";
  readonly output: string;
  /** From the plan's summary line. */
  readonly toAdd?: number;
  readonly seconds: number;
}

/** Providers (as `namespace/type`) a stack requires, from terraform.required_providers. */
export function requiredProviders(stack: StackJson): { source: string; version: string }[] {
  const required = (stack.terraform?.required_providers ?? {}) as Record<
    string,
    { source: string; version?: string }
  >;
  return Object.values(required).map((p) => {
    const source = p.source.replace(/^registry\.terraform\.io\//, "");
    // A bare type ("aws") means the hashicorp namespace, as in Terraform itself.
    return {
      source: source.includes("/") ? source : `hashicorp/${source}`,
      version: p.version ?? "",
    };
  });
}

/** Stacks whose every provider is in the mirror, and the others with the reason. */
export function partitionStacks(
  app: SynthesizedApp,
  mirror: string,
): { runnable: string[]; unavailable: Record<string, string> } {
  const runnable: string[] = [];
  const unavailable: Record<string, string> = {};
  for (const [id, stack] of Object.entries(app.stacks)) {
    const missing = requiredProviders(stack).filter(
      (p) => !mirrorHasProvider(mirror, p.source, p.version),
    );
    if (missing.length === 0) runnable.push(id);
    else
      unavailable[id] =
        `provider ${missing.map((m) => `${m.source} ${m.version}`).join(", ")} is not in the local mirror`;
  }
  return { runnable, unavailable };
}

/**
 * How a stack's providers get credentials offline: the account the runbook says applies the
 * stack (as a mock access key the fake STS maps back to that account), and the fake STS as the
 * STS endpoint. allowed_account_ids and assume_role stay as synthesized: the provider asks the
 * fake STS who it is (and assumes the configured roles through it), so a stack whose providers
 * cannot all be satisfied by one set of credentials fails here as it would in a real run.
 */
export interface OfflineCredentials {
  /** Stack id -> the account whose credentials apply it (from the first-deploy runbook). */
  readonly accounts: Readonly<Record<string, string>>;
  /** The fake STS endpoint (test/helpers/fake-sts.ts). */
  readonly stsEndpoint: string;
}

function offlineProvider(accountId: string, stsEndpoint: string): Record<string, unknown> {
  return {
    access_key: mockAccessKey(accountId),
    secret_key: "offline-secret-key",
    skip_metadata_api_check: true,
    endpoints: [{ sts: stsEndpoint }],
  };
}

/** Which producer stack a remote-state data source reads, by its S3 key or workspace name. */
function producerOf(config: Record<string, unknown>, app: SynthesizedApp): string | undefined {
  const key = (config.config as Record<string, unknown> | undefined)?.key;
  const workspace = (
    (config.config as Record<string, unknown> | undefined)?.workspaces as
      Record<string, unknown> | undefined
  )?.name;
  return Object.keys(app.stacks).find((id) => {
    if (typeof key === "string") return key.endsWith(`/${id}.tfstate`);
    if (typeof workspace === "string") return workspace.endsWith(id);
    return false;
  });
}

function fakeState(outputs: Record<string, unknown>): string {
  return JSON.stringify({
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "offline-placeholder",
    outputs: Object.fromEntries(
      Object.entries(outputs).map(([name, value]) => [
        name,
        { value, type: jsonType(value), sensitive: true },
      ]),
    ),
    resources: [],
  });
}

function jsonType(value: unknown): unknown {
  if (Array.isArray(value)) return ["tuple", value.map(jsonType)];
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (value !== null && typeof value === "object") {
    return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonType(v)]))];
  }
  return "string";
}

function placeholderVariable(decl: Record<string, unknown>): unknown {
  const type = String(decl.type ?? "string");
  if (type.startsWith("list") || type.startsWith("set")) return [];
  if (type.startsWith("map") || type.startsWith("object")) return {};
  if (type === "number") return 1;
  if (type === "bool") return false;
  return "placeholder-value";
}

/**
 * Writes the offline variant of one stack into `dir`. What differs from a real run, and why:
 * the backend becomes local (state in S3 or HCP Terraform needs the network and credentials),
 * remote-state inputs come from local placeholder states, and the AWS providers get mock
 * credentials of the stack's runbook account plus the fake STS endpoint. Nothing a real run
 * depends on is removed: allowed_account_ids and assume_role are evaluated against the fake STS.
 */
export function prepareStack(
  stackId: string,
  app: SynthesizedApp,
  dir: string,
  credentials: OfflineCredentials,
): void {
  mkdirSync(dir, { recursive: true });
  const stack = structuredClone(app.stacks[stackId]);
  if (stack.terraform) {
    delete stack.terraform.backend;
    delete stack.terraform.cloud;
  }
  const account = credentials.accounts[stackId];
  for (const provider of stack.provider?.aws ?? []) {
    if (!account) throw new Error(`the runbook names no account for ${stackId}`);
    Object.assign(provider, offlineProvider(account, credentials.stsEndpoint));
  }
  const remote = stack.data?.terraform_remote_state ?? {};
  for (const [name, config] of Object.entries(remote)) {
    const producer = producerOf(config, app);
    const outputs = Object.fromEntries(
      Object.entries(producer ? (app.stacks[producer].output ?? {}) : {}).map(([out, decl]) => [
        out,
        placeholderForExpression(decl.value),
      ]),
    );
    const statePath = join(dir, `remote-${name}.tfstate`);
    writeFileSync(statePath, fakeState(outputs));
    remote[name] = { backend: "local", config: { path: statePath } };
  }
  const vars = Object.fromEntries(
    Object.entries(stack.variable ?? {})
      .filter(([, decl]) => decl.default === undefined)
      .map(([name, decl]) => [name, placeholderVariable(decl)]),
  );
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify(stack, null, 2));
  writeFileSync(join(dir, "terraform.tfvars.json"), JSON.stringify(vars));
}

/** A CLI config that installs providers only from the mirror, through a shared plugin cache. */
export function writeCliConfig(dir: string, mirror: string): string {
  const cache = join(dir, "plugin-cache");
  mkdirSync(cache, { recursive: true });
  const file = join(dir, "terraform.rc");
  writeFileSync(
    file,
    [
      `plugin_cache_dir = ${JSON.stringify(cache)}`,
      "provider_installation {",
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = ["registry.terraform.io/*/*"]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

/** Runs terraform, its output and exit code; killed after `timeoutMs`. */
export function runTerraform(
  terraform: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 300_000,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(terraform, args, { cwd, env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** A process environment with no real credentials and no network lookups by the provider. */
export function offlineEnv(cliConfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(AWS_|TF_|GITHUB_TOKEN)/.test(k)) env[k] = v;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

export async function runStack(
  toolchain: TerraformToolchain,
  app: SynthesizedApp,
  stackId: string,
  workRoot: string,
  cliConfig: string,
  credentials: OfflineCredentials,
): Promise<StackRun> {
  const started = Date.now();
  const dir = join(workRoot, stackId);
  prepareStack(stackId, app, dir, credentials);
  const env = offlineEnv(cliConfig);
  const steps: [NonNullable<StackRun["failedStep"]>, string[]][] = [
    ["init", ["init", "-input=false", "-no-color"]],
    [
      "plan",
      ["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-out=plan.tfplan"],
    ],
  ];
  let log = "";
  for (const [step, args] of steps) {
    let result = await runTerraform(toolchain.terraform, args, dir, env);
    // Two inits linking the same provider from the shared plugin cache can race ("failed to
    // compute a checksum"); the second attempt finds the cache complete.
    if (result.code !== 0 && step === "init")
      result = await runTerraform(toolchain.terraform, args, dir, env);
    log += `$ terraform ${args.join(" ")}\n${result.output}\n`;
    if (result.code !== 0) {
      return {
        stack: stackId,
        ok: false,
        failedStep: step,
        output: log,
        seconds: (Date.now() - started) / 1000,
      };
    }
  }
  const summary = /Plan: (\d+) to add/.exec(log);
  return {
    stack: stackId,
    ok: true,
    output: log,
    toAdd: summary ? Number(summary[1]) : 0,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Runs the stacks with bounded parallelism. The first stack runs alone so it fills the shared
 * plugin cache; the others then link the provider instead of copying ~670 MB each.
 */
export async function runStacks(
  toolchain: TerraformToolchain,
  app: SynthesizedApp,
  stackIds: string[],
  credentials: OfflineCredentials,
  parallelism = 2,
): Promise<Record<string, StackRun>> {
  const workRoot = mkdtempSync(join(tmpdir(), "tf-tier-"));
  const cliConfig = writeCliConfig(workRoot, toolchain.mirror);
  const results: Record<string, StackRun> = {};
  const queue = [...stackIds];
  const first = queue.shift();
  const run = (id: string) => runStack(toolchain, app, id, workRoot, cliConfig, credentials);
  if (first) results[first] = await run(first);
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      results[id] = await run(id);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  return results;
}
