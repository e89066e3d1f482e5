import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SynthesizedApp } from "./synth";
import type { TerraformToolchain } from "./terraform-env";
import {
  offlineEnv,
  prepareStack,
  runTerraform,
  writeCliConfig,
  type OfflineCredentials,
} from "./terraform-tier";

/*
 * Every stack of every tier configuration planned in ONE Terraform run: each stack becomes a
 * module of a generated root, with the root's providers passed in. The AWS provider's start-up
 * (building its schema, ~4 s of CPU on these machines) dominates a plan of one stack, and a plan
 * starts one provider process per provider configuration, so sharing a configuration between the
 * stacks of one account, region and environment turns ~40 start-ups into a handful: about 20 s
 * for what took ~4 minutes stack by stack.
 *
 * What is shared, and why that keeps the check honest: stacks of one account and region differ in
 * their provider only by the `Stack` and `Environment` default tags, so the shared provider keeps
 * allowed_account_ids, assume_role, region, endpoints and the other default tags exactly as
 * synthesized, minus those two tags (tags_all is not what this tier checks). The per-stack provider with
 * every setting is still planned by test/terraform/credentials.test.ts, and a failure here is
 * re-run stack by stack to say which stack failed.
 */

export interface TogetherEntry {
  /** Module name: `<variant>-<stack>`, unique in the root. */
  readonly module: string;
  readonly app: SynthesizedApp;
  readonly stackId: string;
  readonly credentials: OfflineCredentials;
}

export interface TogetherResult {
  readonly ok: boolean;
  readonly output: string;
  /** Resources to create, by module. */
  readonly toAdd: Readonly<Record<string, number>>;
  readonly seconds: number;
}

type Json = Record<string, unknown>;

/** The whole plan of every stack in one run takes longer than one stack's. */
const run = (terraform: string, args: string[], cwd: string, cliConfig: string) =>
  runTerraform(terraform, args, cwd, offlineEnv(cliConfig), 600_000);

function sharedProvider(provider: Json): Json {
  const tags = ((provider.default_tags as { tags?: Json }[] | undefined)?.[0]?.tags ?? {}) as Json;
  const { Stack: _stack, Environment: _environment, ...shared } = tags;
  void _stack;
  void _environment;
  return { ...provider, default_tags: [{ tags: shared }] };
}

/** Writes the root and its modules; returns the root directory. */
export function writeTogether(entries: readonly TogetherEntry[], root: string): void {
  const providers = new Map<string, Json>();
  const modules: Record<string, Json> = {};
  for (const entry of entries) {
    const dir = join(root, entry.module);
    prepareStack(entry.stackId, entry.app, dir, entry.credentials);
    const doc = JSON.parse(readFileSync(join(dir, "main.tf.json"), "utf8")) as Json & {
      provider?: { aws?: Json[] };
    };
    const passed: Record<string, string> = {};
    for (const provider of doc.provider?.aws ?? []) {
      const { alias, ...settings } = sharedProvider(provider);
      const key = JSON.stringify(settings);
      if (!providers.has(key)) providers.set(key, { ...settings, alias: `p${providers.size}` });
      const rootAlias = String((providers.get(key) as Json).alias);
      passed[alias ? `aws.${String(alias)}` : "aws"] = `aws.${rootAlias}`;
    }
    delete doc.provider;
    const aliases = Object.keys(passed).filter((k) => k !== "aws");
    if (aliases.length) {
      const required = ((doc.terraform as Json).required_providers as Json).aws as Json;
      required.configuration_aliases = aliases.map((a) => `\${${a}}`);
    }
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(doc, null, 1));
    const vars = JSON.parse(readFileSync(join(dir, "terraform.tfvars.json"), "utf8")) as Json;
    modules[entry.module] = { source: `./${entry.module}`, providers: passed, ...vars };
  }
  const first = entries[0];
  const required = (first.app.stacks[first.stackId].terraform?.required_providers ?? {}) as Json;
  writeFileSync(
    join(root, "main.tf.json"),
    JSON.stringify(
      {
        terraform: { required_providers: { aws: required.aws } },
        provider: { aws: [...providers.values()] },
        module: modules,
      },
      null,
      1,
    ),
  );
}

/** init and plan of every entry in one root; per-module counts of resources to create. */
export async function planTogether(
  toolchain: TerraformToolchain,
  entries: readonly TogetherEntry[],
): Promise<TogetherResult> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), "tf-together-"));
  const root = join(work, "root");
  mkdirSync(root, { recursive: true });
  const cliConfig = writeCliConfig(work, toolchain.mirror);
  writeTogether(entries, root);
  let log = "";
  for (const args of [
    ["init", "-input=false", "-no-color"],
    ["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color", "-out=plan.tfplan"],
  ]) {
    const result = await run(toolchain.terraform, args, root, cliConfig);
    log += `$ terraform ${args.join(" ")}\n${result.output}\n`;
    if (result.code !== 0) {
      return { ok: false, output: log, toAdd: {}, seconds: (Date.now() - started) / 1000 };
    }
  }
  const shown = await run(toolchain.terraform, ["show", "-json", "plan.tfplan"], root, cliConfig);
  const plan = JSON.parse(shown.output) as {
    resource_changes?: { module_address?: string; change: { actions: string[] } }[];
  };
  const toAdd: Record<string, number> = {};
  for (const change of plan.resource_changes ?? []) {
    const module = /^module\.([^.[]+)/.exec(change.module_address ?? "")?.[1];
    if (module && change.change.actions.includes("create"))
      toAdd[module] = (toAdd[module] ?? 0) + 1;
  }
  return { ok: true, output: log, toAdd, seconds: (Date.now() - started) / 1000 };
}
