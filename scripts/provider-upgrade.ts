/**
 * `npm run upgrade:provider [-- --spec ^21] [-- --bindings DIR] [-- --keep]`: what moving to the
 * AWS provider 6.x line would break, without touching this checkout.
 *
 * 1. Installs the newest cdktf bindings of the 6.x line (`@cdktf/provider-aws@^21`, which binds
 *    hashicorp/aws 6.x; 20.x binds 5.x) next to the pinned cdktf, constructs and GitHub provider,
 *    in a scratch folder. `--bindings DIR` uses a node_modules folder that already holds them.
 * 2. Copies the app (main.ts, src/, config/, examples/) beside them, every other package linked
 *    from this checkout's node_modules.
 * 3. Type-checks the app against the new bindings: a removed resource, argument or attribute, or a
 *    changed type, is a compile error at the line that uses it.
 * 4. Synthesizes the example config with them and compares every stack's JSON with the output of
 *    the pinned bindings (the provider version constraint aside): a renamed or re-shaped argument
 *    shows up as a changed path.
 *
 * Exit code 0 when nothing breaks, 1 when something does (everything found is listed), 2 when
 * the bindings could not be installed. No Terraform plan: the offline tier stays on 5.100.0 until
 * a 6.x provider is in the mirror.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildSync } from "esbuild";
import * as ts from "typescript";
import { readSynthOutput, type StackDocument } from "../src/synth/output";

const ROOT = join(__dirname, "..");
/** What the app's build reads, copied to the scratch app. */
const APP_FILES = ["main.ts", "src", "config", "examples", "package.json", "tsconfig.json"];
/**
 * The packages installed together, so the bindings and the app share one cdktf: every prebuilt
 * provider the app depends on (the other ones at their pinned versions), cdktf and constructs.
 */
const BOUND = [
  ...Object.keys(dependencies()).filter((name) => name.startsWith("@cdktf/provider-")),
  "cdktf",
  "constructs",
];

function dependencies(): Record<string, string> {
  return (
    JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    }
  ).dependencies;
}

export interface UpgradeOptions {
  /** npm version range of @cdktf/provider-aws to install. @default "^21" */
  readonly spec?: string;
  /** A node_modules folder already holding the bindings (skips the install). */
  readonly bindings?: string;
  /** Keep the scratch folder (printed) for a closer look. @default false */
  readonly keep?: boolean;
}

export interface CompileError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface UpgradeReport {
  /** The bindings' package version and the provider version they bind. */
  readonly bindings: { readonly version: string; readonly provider: string };
  readonly compileErrors: readonly CompileError[];
  /** Why the synth failed, if it did. */
  readonly synthError?: string;
  /** Stack id -> JSON paths whose value differs from the pinned bindings' output. */
  readonly differences: Readonly<Record<string, readonly string[]>>;
}

function pinned(name: string): string {
  const version = dependencies()[name];
  if (!version) throw new Error(`package.json pins no ${name}`);
  return version;
}

function install(spec: string, into: string): string {
  mkdirSync(into, { recursive: true });
  const packages = BOUND.map((name) =>
    name === "@cdktf/provider-aws" ? `${name}@${spec}` : `${name}@${pinned(name)}`,
  );
  const run = spawnSync(
    "npm",
    ["install", "--prefix", into, "--no-audit", "--no-fund", "--loglevel=error", ...packages],
    { encoding: "utf8" },
  );
  if (run.status !== 0) {
    throw new Error(`npm install ${packages.join(" ")} failed:\n${run.stderr || run.stdout}`);
  }
  return join(into, "node_modules");
}

/** node_modules of the scratch app: the bound packages from `bindings`, the rest from ours. */
function linkModules(app: string, bindings: string): void {
  const modules = join(app, "node_modules");
  mkdirSync(join(modules, "@cdktf"), { recursive: true });
  for (const name of BOUND) {
    if (!existsSync(join(bindings, name))) throw new Error(`${bindings} holds no ${name}`);
    symlinkSync(join(bindings, name), join(modules, name), "dir");
  }
  for (const entry of readdirSync(join(ROOT, "node_modules"))) {
    if (entry === "@cdktf" || BOUND.includes(entry)) continue;
    symlinkSync(join(ROOT, "node_modules", entry), join(modules, entry));
  }
}

function stageApp(app: string, bindings: string): void {
  for (const file of APP_FILES) cpSync(join(ROOT, file), join(app, file), { recursive: true });
  const tsconfig = JSON.parse(readFileSync(join(app, "tsconfig.json"), "utf8")) as Record<
    string,
    unknown
  >;
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({ ...tsconfig, include: ["main.ts", "src/**/*.ts"] }),
  );
  linkModules(app, bindings);
}

/** Every compile error of the app, as file (relative), line and message. */
export function typeCheck(app: string): CompileError[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(app, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${join(app, "tsconfig.json")}`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? relative(app, d.file.fileName) : "(project)",
    line:
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    message: ts.flattenDiagnosticMessageText(d.messageText, " "),
  }));
}

/** Bundles and runs `main.ts` of `app` with the example config into `outdir`. */
function synth(app: string, outdir: string): string | undefined {
  const bundle = join(app, ".build", "main.js");
  try {
    buildSync({
      absWorkingDir: app,
      entryPoints: ["main.ts"],
      bundle: true,
      platform: "node",
      target: "node20",
      external: ["@cloud-copilot/*"],
      outfile: bundle,
      logLevel: "silent",
    });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const run = spawnSync(process.execPath, [bundle], {
    cwd: app,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PLATFORM_OUTDIR: outdir },
  });
  return run.status === 0 ? undefined : (run.stderr || run.stdout).trim();
}

/** JSON paths at which `a` and `b` differ (at most `limit`), `ignore`d paths aside. */
export function differingPaths(
  a: unknown,
  b: unknown,
  ignore: (path: string) => boolean,
  limit = 20,
  path = "",
  found: string[] = [],
): string[] {
  if (found.length >= limit || ignore(path)) return found;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null;
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) differingPaths(a[key], b[key], ignore, limit, `${path}.${key}`, found);
    return found;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) found.push(path || ".");
  return found;
}

/** The provider's version constraint is the one difference a bump must make. */
const isProviderConstraint = (path: string) =>
  /^\.terraform\.required_providers\.aws\.version$/.test(path);

function compareOutputs(current: string, next: string): Record<string, string[]> {
  const before = readSynthOutput(current).stacks;
  const after = readSynthOutput(next).stacks;
  const result: Record<string, string[]> = {};
  for (const id of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a: StackDocument | undefined = before[id]?.document;
    const b: StackDocument | undefined = after[id]?.document;
    const paths =
      !a || !b ? [a ? "(stack gone)" : "(new stack)"] : differingPaths(a, b, isProviderConstraint);
    if (paths.length) result[id] = paths;
  }
  return result;
}

function boundVersions(bindings: string): UpgradeReport["bindings"] {
  const pkg = join(bindings, "@cdktf", "provider-aws");
  const version = (
    JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string }
  ).version;
  const readme = existsSync(join(pkg, "README.md"))
    ? readFileSync(join(pkg, "README.md"), "utf8")
    : "";
  const provider = /hashicorp\/aws provider version (\d+\.\d+\.\d+)/.exec(readme)?.[1] ?? "unknown";
  return { version, provider };
}

export function checkUpgrade(options: UpgradeOptions = {}): UpgradeReport & { scratch: string } {
  const scratch = mkdtempSync(join(tmpdir(), "provider-upgrade-"));
  try {
    return { scratch, ...checkIn(scratch, options) };
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

function checkIn(scratch: string, options: UpgradeOptions): UpgradeReport {
  const bindings = options.bindings ?? install(options.spec ?? "^21", join(scratch, "packages"));
  const app = join(scratch, "app");
  stageApp(app, bindings);
  const compileErrors = typeCheck(app);
  const current = join(scratch, "out-current");
  const next = join(scratch, "out-next");
  const reference = spawnSync(process.execPath, ["scripts/run-built.cjs", "main.ts"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PLATFORM_OUTDIR: current },
  });
  if (reference.status !== 0)
    throw new Error(`synth with the pinned bindings failed:\n${reference.stderr}`);
  const synthError = synth(app, next);
  return {
    bindings: boundVersions(bindings),
    compileErrors,
    ...(synthError ? { synthError } : {}),
    differences: synthError ? {} : compareOutputs(current, next),
  };
}

export function breaks(report: UpgradeReport): boolean {
  return (
    report.compileErrors.length > 0 ||
    report.synthError !== undefined ||
    Object.keys(report.differences).length > 0
  );
}

export function formatUpgradeReport(report: UpgradeReport): string {
  const lines = [
    `Bindings: @cdktf/provider-aws ${report.bindings.version} (hashicorp/aws ${report.bindings.provider}); ` +
      `pinned: ${pinned("@cdktf/provider-aws")}`,
    "",
    `Type check: ${report.compileErrors.length} error(s)`,
    ...report.compileErrors.map((e) => `  ${e.file}:${e.line}  ${e.message}`),
    "",
    `Synth of the example config: ${report.synthError ? "FAILED" : "ok"}`,
    ...(report.synthError ? report.synthError.split("\n").map((l) => `  ${l}`) : []),
  ];
  if (!report.synthError) {
    const stacks = Object.entries(report.differences);
    lines.push(
      `Synthesized JSON against the pinned bindings' (provider constraint aside): ${stacks.length ? `${stacks.length} stack(s) differ` : "identical"}`,
      ...stacks.flatMap(([id, paths]) => [`  ${id}:`, ...paths.map((p) => `    ${p}`)]),
    );
  }
  lines.push(
    "",
    breaks(report) ? "Result: the upgrade breaks the app (above)." : "Result: nothing breaks.",
  );
  return `${lines.join("\n")}\n`;
}

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  let report: ReturnType<typeof checkUpgrade>;
  try {
    report = checkUpgrade({ spec: option(argv, "--spec"), bindings: option(argv, "--bindings") });
  } catch (err) {
    process.stderr.write(
      `provider upgrade check failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(2);
  }
  process.stdout.write(formatUpgradeReport(report));
  if (argv.includes("--keep")) process.stdout.write(`Scratch folder kept: ${report.scratch}\n`);
  else rmSync(report.scratch, { recursive: true, force: true });
  process.exitCode = breaks(report) ? 1 : 0;
}
