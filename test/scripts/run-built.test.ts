import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/*
 * scripts/run-built.cjs (what `npm run synth` and the CI stack order run): the bundle it runs
 * always matches the sources, whichever of them changed, and a source that does not compile
 * stops the run with esbuild's message instead of running an old bundle.
 */

const ROOT = join(__dirname, "..", "..");

/** A throwaway project: the script, this repo's node_modules, a main.ts importing src/value.ts. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "run-built-"));
  mkdirSync(join(dir, "scripts"));
  mkdirSync(join(dir, "src"));
  copyFileSync(join(ROOT, "scripts", "run-built.cjs"), join(dir, "scripts", "run-built.cjs"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(
    join(dir, "main.ts"),
    'import { value } from "./src/value";\n' +
      "if (require.main === module) process.stdout.write(`${value()} ${process.argv[2]}`);\n",
  );
  return dir;
}

/** Writes a source with a modification time `ageSeconds` in the past (0: now). */
function source(dir: string, rel: string, text: string, ageSeconds = 0): void {
  const file = join(dir, rel);
  writeFileSync(file, text);
  const when = new Date(Date.now() - ageSeconds * 1000);
  utimesSync(file, when, when);
}

const run = (dir: string) =>
  spawnSync(process.execPath, ["scripts/run-built.cjs", "main.ts", "arg"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 30_000,
  });

describe("run-built", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("runs the entry as the main module with its arguments, and rebuilds when an import changes", () => {
    const dir = project();
    dirs.push(dir);
    source(dir, "src/value.ts", "export const value = (): number => 1;\n", 60);
    expect(run(dir).stdout).toBe("1 arg");

    source(dir, "src/value.ts", "export const value = (): number => 2;\n");
    expect(run(dir).stdout).toBe("2 arg");
  });

  it("rebuilds when an import starts importing a new file", () => {
    const dir = project();
    dirs.push(dir);
    source(dir, "src/value.ts", "export const value = (): number => 1;\n", 60);
    expect(run(dir).stdout).toBe("1 arg");

    source(dir, "src/other.ts", "export const other = 40;\n");
    source(
      dir,
      "src/value.ts",
      'import { other } from "./other";\nexport const value = (): number => other + 2;\n',
    );
    expect(run(dir).stdout).toBe("42 arg");
  });

  it("stops with the compiler's message, not an old bundle, when a source does not compile", () => {
    const dir = project();
    dirs.push(dir);
    source(dir, "src/value.ts", "export const value = (): number => 1;\n", 60);
    expect(run(dir).stdout).toBe("1 arg");

    source(dir, "src/value.ts", "export const value = (): number => ;\n");
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/src\/value\.ts:1:\d+: ERROR: Unexpected ";"/);
  });
});
