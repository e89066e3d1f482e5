/**
 * `npm run bench`: synth wall time (median of several runs) and peak RSS for the example config
 * and generated larger configs, plus (with --tests) the test suite's wall time. Numbers go to a
 * table on stdout; README keeps the latest with the machine they came from.
 */
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { readmeBlock } from "../tools/docs/readme-block";
import { scaledConfig } from "./scaled-config";

const ROOT = join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Row {
  readonly label: string;
  readonly medianSeconds: number;
  readonly peakRssMb: number;
  readonly stacks: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Sample {
  readonly seconds: number;
  readonly rssMb: number;
  readonly stacks: number;
}

/** One `npm run synth` of `configFile`: wall time, peak RSS, stacks written. */
function synthOnce(label: string, configFile: string, work: string): Sample {
  const outdir = join(work, "cdktf.out");
  const rssFile = join(work, "rss");
  const started = process.hrtime.bigint();
  // The same command `npm run synth` runs (main.ts transpiled into .build/ and run as
  // JavaScript), plus a preload that reports the process's peak RSS when it exits.
  const run = spawnSync(
    process.execPath,
    [
      "--require",
      join(ROOT, "scripts", "report-rss.cjs"),
      join(ROOT, "scripts", "run-built.cjs"),
      "main.ts",
      "--config",
      configFile,
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        CHECKPOINT_DISABLE: "1",
        PLATFORM_OUTDIR: outdir,
        BENCH_RSS_FILE: rssFile,
      },
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${label}: synth failed:\n${run.stderr}`);
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return {
    seconds,
    rssMb: Number(readFileSync(rssFile, "utf8")),
    stacks: Object.keys(manifest.stacks).length,
  };
}

/**
 * Every config once as a warm-up (fills the OS file cache and (re)builds the bundle), then RUNS
 * rounds of every config in turn: a slow spell of a shared machine spreads over all configs
 * instead of landing on one of them.
 */
function measureAll(configs: readonly (readonly [string, string])[]): Row[] {
  const work = mkdtempSync(join(tmpdir(), "bench-"));
  for (const [label, file] of configs) synthOnce(label, file, work);
  const samples = configs.map((): Sample[] => []);
  for (let round = 0; round < RUNS; round++) {
    configs.forEach(([label, file], i) => samples[i].push(synthOnce(label, file, work)));
  }
  rmSync(work, { recursive: true, force: true });
  return configs.map(([label], i) => ({
    label,
    medianSeconds: median(samples[i].map((s) => s.seconds)),
    peakRssMb: Math.max(...samples[i].map((s) => s.rssMb)),
    stacks: samples[i][0].stacks,
  }));
}

function writeScaled(services: number, environments: number): string {
  const file = join(mkdtempSync(join(tmpdir(), "bench-config-")), "platform.yaml");
  writeFileSync(file, stringify(scaledConfig(services, environments)));
  return file;
}

const rows: Row[] = measureAll([
  ["example (2 services x 2 environments)", join(ROOT, "config", "platform.yaml")],
  ["10 services x 3 environments", writeScaled(10, 3)],
  ["30 services x 6 environments", writeScaled(30, 6)],
]);

/** Wall time of one npm script, as a user runs it. */
function timeScript(script: string, env: NodeJS.ProcessEnv = {}): number {
  const started = Date.now();
  const run = spawnSync("npm", ["run", "-s", script], {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, ...env },
  });
  if (run.status !== 0) console.error(`warning: npm run ${script} failed during the benchmark`);
  return (Date.now() - started) / 1000;
}

/** Median wall time of `runs` runs of one npm script, each after `before`. */
function timeScriptMedian(script: string, runs: number, before: () => void = () => {}): number {
  return median(
    Array.from({ length: runs }, () => {
      before();
      return timeScript(script);
    }),
  );
}

/** Synthesized stacks the unit tests keep between runs (test/helpers/synth-disk-cache.ts). */
const SYNTH_CACHE = join(ROOT, "node_modules", ".cache", "platform-synth");
const TEST_RUNS = Number(process.env.BENCH_TEST_RUNS ?? 3);

const parts: [string, number, number?][] = [];
if (process.argv.includes("--tests")) {
  // The parts, then the whole as CI runs it (Terraform tier mandatory).
  parts.push([
    "checks (type check, ESLint, Prettier, rehearsal; side by side; caches warm)",
    timeScript("checks"),
  ]);
  // The quick loop two ways: right after a change to src/ (every synth is redone) and after a
  // change to tests only (the synthesized stacks come from the cache).
  parts.push([
    `\`npm run test:unit\` after a change to src/ (synth cache empty; median of ${TEST_RUNS})`,
    timeScriptMedian("test:unit", TEST_RUNS, () =>
      rmSync(SYNTH_CACHE, { recursive: true, force: true }),
    ),
    20,
  ]);
  parts.push([
    `\`npm run test:unit\` after a change to tests only (synth cache warm; median of ${TEST_RUNS})`,
    timeScriptMedian("test:unit", TEST_RUNS),
    20,
  ]);
  parts.push([
    "`npm test` with the Terraform tier required (CI=true)",
    timeScript("test", { CI: "true" }),
    90,
  ]);
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const example = rows[0];
const ok = example.medianSeconds <= 1.0 && example.peakRssMb <= 150;
const report = [
  `Machine: ${machine}. ${RUNS} rounds over the configs after one warm-up; median wall time of \`npm run synth\``,
  "(one esbuild bundle of main.ts, no type-check), peak RSS of the synth process.",
  "",
  "| config | stacks | synth wall (median) | peak RSS |",
  "| --- | --- | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.stacks} | ${r.medianSeconds.toFixed(2)} s | ${Math.round(r.peakRssMb)} MB |`,
  ),
  ...(parts.length
    ? [
        "",
        "| test suite part | wall | target |",
        "| --- | --- | --- |",
        ...parts.map(
          ([label, seconds, target]) =>
            `| ${label} | ${seconds.toFixed(1)} s | ${target === undefined ? "" : `<= ${target} s (${seconds <= target ? "met" : "NOT met"})`} |`,
        ),
      ]
    : []),
  "",
  `Targets: synth of the example <= 1.0 s and <= 150 MB (${ok ? "met" : "NOT met"} here); ` +
    "`npm test` <= 90 s, Vitest without the Terraform tier <= 20 s (`npm run bench -- --tests`).",
].join("\n");
console.log(report);

// --readme: keep the README's numbers current (between <!-- bench:start --> and <!-- bench:end -->).
if (process.argv.includes("--readme")) {
  const readmePath = join(ROOT, "README.md");
  const block = readmeBlock("bench", "the benchmark table goes between them.");
  writeFileSync(readmePath, block.replace(readFileSync(readmePath, "utf8"), report));
  // README.md is prettier-checked: let prettier align the table.
  spawnSync(
    process.execPath,
    [require.resolve("prettier/bin/prettier.cjs"), "--write", readmePath],
    {
      stdio: "ignore",
    },
  );
  console.log("\nREADME.md updated.");
}
