/**
 * Prints the stacks CI plans or applies, in deploy order, one per line, from the synthesized
 * output (so a stack added to the app is picked up without touching the workflows):
 *
 *   tsx scripts/stack-order.ts [--outdir cdktf.out] [--config FILE] [--mode plan|apply] [--all]
 *   tsx scripts/stack-order.ts --execution [--outdir ...] [--mode ...]   (terraform-stacks.sh)
 *
 * Left out:
 * - bootstrap stacks with a local backend (`state`): applied once by hand from a workstation,
 *   because a CI runner's local state file would be thrown away (unless `--all`);
 * - with `--mode apply`, the stacks an administrator always applies (the GitHub OIDC stacks,
 *   which create the roles CI assumes: CI never changes its own roles). CI still plans them,
 *   so a pull request shows what the administrator will apply.
 * Environment stacks follow the config's promotion order (staging before production).
 *
 * `--execution` adds to each line, after a tab, `remote` for a stack that runs in HCP Terraform
 * (remote execution: its plans and applies are runs in the workspace, which CI drives differently,
 * see scripts/ci/terraform-stacks.sh) and `local` for the others.
 */
import { loadConfig } from "../src/config";
import { administratorOnlyStacks, firstDeployRunbook } from "../src/model/runbook";
import { configPath, DEFAULT_OUTDIR } from "../src/synth/cli-paths";
import { deployedByCi, readSynthOutput, type SynthOutput } from "../src/synth/output";
import { environmentOrder, outputDeployOrder } from "../src/synth/summary";
import { ciStacks } from "../src/model/ci-stacks";
import { remoteExecution } from "../src/model/hcp-names";

export interface CiStackOptions {
  /** Bootstrap stacks too (first). @default false */
  readonly all?: boolean;
  /** Stacks CI must not apply (administrator-only), left out unless `all`. @default [] */
  readonly exclude?: readonly string[];
}

/** The stacks CI runs, in order. */
export function ciStackOrder(
  output: SynthOutput,
  environments: readonly string[],
  options: CiStackOptions = {},
): string[] {
  return outputDeployOrder(output, environments).filter(
    (id) =>
      options.all ||
      (deployedByCi(output.stacks[id].document) && !(options.exclude ?? []).includes(id)),
  );
}

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

function main(argv: readonly string[]): number {
  const outdir = option(argv, "--outdir") ?? (process.env.PLATFORM_OUTDIR || DEFAULT_OUTDIR);
  const mode = option(argv, "--mode") ?? "plan";
  if (mode !== "plan" && mode !== "apply") {
    process.stderr.write(`--mode: "${mode}" is not valid; use plan or apply\n`);
    return 2;
  }
  const config = loadConfig(configPath(argv, process.env));
  const order = ciStackOrder(readSynthOutput(outdir), environmentOrder(config), {
    all: argv.includes("--all"),
    exclude: mode === "apply" ? administratorOnlyStacks(firstDeployRunbook(config)) : [],
  });
  if (argv.includes("--execution")) {
    const remote = new Set(remoteExecution(config) ? ciStacks(config).map((s) => s.stack) : []);
    const lines = order.map((id) => `${id}\t${remote.has(id) ? "remote" : "local"}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  }
  process.stdout.write(`${order.join("\n")}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
