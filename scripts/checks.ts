/**
 * `npm run checks`: the static checks of `npm test` (type check, ESLint, Prettier, the rehearsal)
 * run side by side instead of one after another: each is single-threaded, and the machine has two
 * cores. Every check runs to the end; the output of each is printed whole, in a fixed order, and
 * the command fails when any check failed.
 */
import { spawn } from "node:child_process";

interface Check {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
}

const CACHE = "node_modules/.cache";

export const CHECKS: readonly Check[] = [
  // Each keeps a cache under node_modules/.cache: a re-run only re-checks what changed (a clean
  // clone, as CI runs, checks everything).
  {
    name: "typecheck",
    command: "npx",
    args: [
      "tsc",
      "--noEmit",
      "-p",
      ".",
      "--incremental",
      "--tsBuildInfoFile",
      `${CACHE}/tsc.tsbuildinfo`,
    ],
  },
  {
    name: "eslint",
    command: "npx",
    args: ["eslint", "--cache", "--cache-location", `${CACHE}/eslint/`, "."],
  },
  { name: "prettier", command: "npx", args: ["prettier", "--check", "--cache", "."] },
  { name: "rehearse", command: "node", args: ["scripts/run-built.cjs", "scripts/rehearse.ts"] },
];

function run(
  check: Check,
): Promise<{ check: Check; code: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(check.command, [...check.args], {
      env: { ...process.env, CHECKPOINT_DISABLE: "1", FORCE_COLOR: "0" },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) =>
      resolve({ check, code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

async function main(): Promise<number> {
  const results = await Promise.all(CHECKS.map(run));
  let failed = 0;
  for (const r of results) {
    const status = r.code === 0 ? "ok" : `FAILED (exit ${r.code})`;
    process.stdout.write(`--- ${r.check.name}: ${status} in ${r.seconds.toFixed(1)} s\n`);
    if (r.code !== 0 || r.check.name === "rehearse") process.stdout.write(r.output);
    if (r.code !== 0) failed++;
  }
  return failed > 0 ? 1 : 0;
}

if (require.main === module) main().then((code) => (process.exitCode = code));
