import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { configPath } from "../../src/synth/cli-paths";
import { runSynth } from "../../src/synth/run-synth";
import { stringify } from "yaml";
import { EXAMPLE_CONFIG_PATH, exampleInput } from "../helpers/config";

const ROOT = join(__dirname, "..", "..");

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "run-synth-"));
}

describe("config path", () => {
  it("takes --config, then PLATFORM_CONFIG, then the example", () => {
    expect(configPath(["--config", "a.yaml"], { PLATFORM_CONFIG: "b.yaml" })).toBe("a.yaml");
    expect(configPath(["--config=c.yaml"], {})).toBe("c.yaml");
    expect(configPath([], { PLATFORM_CONFIG: "b.yaml" })).toBe("b.yaml");
    expect(configPath([], {})).toBe("config/platform.yaml");
  });

  it("refuses --config without a file name instead of falling back to the default", () => {
    for (const argv of [["--config"], ["--config", "--remote"], ["--config="]]) {
      let problems: readonly string[] = [];
      try {
        configPath(argv, { PLATFORM_CONFIG: "b.yaml" });
      } catch (err) {
        problems = (err as { problems: readonly string[] }).problems;
      }
      expect(problems, argv.join(" ")).toEqual([
        expect.stringMatching(/^--config=? needs a file name/),
      ]);
    }
  });
});

describe("runSynth", () => {
  it("writes every stack and a manifest", () => {
    const out = join(tempDir(), "cdktf.out");
    const result = runSynth(
      { argv: ["--config", EXAMPLE_CONFIG_PATH], env: { PLATFORM_OUTDIR: out } },
      loadConfig,
    );
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(out, "manifest.json"))).toBe(true);
    expect(existsSync(join(out, "stacks", "state", "cdk.tf.json"))).toBe(true);
  });

  it("leaves the previous output exactly as it was when the config is bad", () => {
    const dir = tempDir();
    const out = join(dir, "cdktf.out");
    mkdirSync(join(out, "stacks", "old"), { recursive: true });
    writeFileSync(join(out, "stacks", "old", "cdk.tf.json"), '{"previous":true}');
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, readFileSync(EXAMPLE_CONFIG_PATH, "utf8").replace("cpu: 256", "cpu: 300"));

    const result = runSynth({ argv: ["--config", bad], env: { PLATFORM_OUTDIR: out } }, loadConfig);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toMatch(
      /services\[0\]\.memory: 512 is not valid; cpu 300 with memory 512/,
    );
    expect(readdirSync(join(out, "stacks"))).toEqual(["old"]);
    expect(readFileSync(join(out, "stacks", "old", "cdk.tf.json"), "utf8")).toBe(
      '{"previous":true}',
    );
    expect(readdirSync(dir).sort()).toEqual(["bad.yaml", "cdktf.out"]);
  });

  it("says so when the output folder's parent does not exist", () => {
    const result = runSynth(
      {
        argv: ["--config", EXAMPLE_CONFIG_PATH],
        env: { PLATFORM_OUTDIR: join(tempDir(), "missing", "cdktf.out") },
      },
      loadConfig,
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toMatch(
      /^PLATFORM_OUTDIR: .*missing\/cdktf\.out is in a folder that does not exist/,
    );
  });

  it("removes the staging folders of runs that were killed mid-way", () => {
    const dir = tempDir();
    const out = join(dir, "cdktf.out");
    // A pid above Linux's pid_max: no process has it.
    mkdirSync(join(dir, ".cdktf.out.tmp-4194399-abcdef", "stacks"), { recursive: true });
    const result = runSynth(
      { argv: ["--config", EXAMPLE_CONFIG_PATH], env: { PLATFORM_OUTDIR: out } },
      loadConfig,
    );
    expect(result.exitCode).toBe(0);
    expect(readdirSync(dir)).toEqual(["cdktf.out"]);
  });
});

describe("main.ts as a command", () => {
  it("interrupted (SIGINT), leaves the complete output or the previous one, and no temporary folder", async () => {
    const dir = tempDir();
    const out = join(dir, "cdktf.out");
    mkdirSync(join(out, "stacks", "old"), { recursive: true });
    writeFileSync(join(out, "stacks", "old", "cdk.tf.json"), '{"previous":true}');
    // The S3 config source: the bundled synth zips its seed into the pipeline stack.
    const config = join(dir, "s3.yaml");
    const input = exampleInput();
    input.pipeline.configSource = { type: "s3" } as never;
    writeFileSync(config, stringify(input));
    const child = spawn(
      process.execPath,
      ["scripts/run-built.cjs", "main.ts", "--config", config],
      {
        cwd: ROOT,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", PLATFORM_OUTDIR: out },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Once the staging folder exists, synth is under way.
    await new Promise<void>((done, fail) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (readdirSync(dir).some((n) => n.startsWith(".cdktf.out.tmp-"))) {
          clearInterval(poll);
          child.kill("SIGINT");
          done();
        } else if (Date.now() - started > 60_000) {
          clearInterval(poll);
          fail(new Error("synth never started"));
        }
      }, 5);
    });
    const signal = await new Promise<NodeJS.Signals | null>((done) =>
      child.on("exit", (_, s) => done(s)),
    );
    // It ended by the signal, after leaving the output whole, and nothing failed on the way (a
    // synth that fails also ends by the signal, leaving the previous output).
    expect(signal).toBe("SIGINT");
    expect(stderr).toBe("");
    expect(readdirSync(dir).filter((n) => !["cdktf.out", "s3.yaml"].includes(n))).toEqual([]);
    const stacks = readdirSync(join(out, "stacks"));
    if (stacks.includes("old")) {
      // The previous output, exactly as it was.
      expect(stacks).toEqual(["old"]);
      expect(readFileSync(join(out, "stacks", "old", "cdk.tf.json"), "utf8")).toBe(
        '{"previous":true}',
      );
    } else {
      // Or the complete new one, the seed zipped into the pipeline stack.
      expect(existsSync(join(out, "manifest.json"))).toBe(true);
      const pipeline = JSON.parse(
        readFileSync(join(out, "stacks", "pipeline", "cdk.tf.json"), "utf8"),
      ) as { resource: { aws_s3_object: Record<string, { content_base64: string }> } };
      const [seed] = Object.values(pipeline.resource.aws_s3_object);
      const zip = Buffer.from(seed.content_base64, "base64");
      expect(zip.subarray(0, 2).toString()).toBe("PK");
      expect(zip.includes("tests/example/smoke.sh")).toBe(true);
    }
  });

  it("exits 1 with a readable message and no stack trace on a bad config", () => {
    const dir = tempDir();
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "project: Acme\nbogus: 1\n");
    // As `npm run synth` runs it: transpiled into .build/ and run as JavaScript.
    const run = spawnSync(process.execPath, ["scripts/run-built.cjs", "main.ts", "--config", bad], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PLATFORM_OUTDIR: join(dir, "out") },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/problems in the platform config/);
    expect(run.stderr).toMatch(/bogus: unknown key/);
    expect(run.stderr).toMatch(/github: is required/);
    expect(run.stderr).not.toMatch(/\s+at .*\.ts:\d+/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
