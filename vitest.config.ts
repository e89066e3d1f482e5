import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The toolchain tiers' files first (test/terraform: one long Terraform plan; test/toolchain: the
 * app type-checked and synthesized against other provider bindings): starting them before the
 * many short unit files keeps both workers busy to the end instead of leaving them for last.
 */
class TerraformFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const tier = (f: TestSpecification) =>
      f.moduleId.includes("/test/terraform/") ? 0 : f.moduleId.includes("/test/toolchain/") ? 1 : 2;
    return [...sorted].sort((a, b) => tier(a) - tier(b));
  }
}

/**
 * Node 20.19+ reads every package file without a declared module type twice: a trial compile as
 * an ES module, then the real one (the provider bindings are thousands of such CommonJS files;
 * ~0.3 s per worker). Every package the tests load declares its ES modules, so workers skip the
 * trial. Node 20 releases before 20.10 do not know the flag (it is left out), and those before
 * 20.19 made no trial by default (the flag changes nothing there).
 */
const WORKER_FLAGS = process.allowedNodeEnvironmentFlags.has("--no-experimental-detect-module")
  ? ["--no-experimental-detect-module"]
  : [];

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/setup-matchers.ts", "test/helpers/setup-traces.ts"],
    // Synthesizing stacks and running terraform are CPU-bound; the machine has 2 cores.
    pool: "forks",
    maxWorkers: 2,
    execArgv: WORKER_FLAGS,
    // Test files of a worker share loaded modules (cdktf and the provider bindings load once, not
    // once per file) and the synth cache of test/helpers/synth.ts. No test relies on a fresh
    // module state: each builds its own App.
    isolate: false,
    sequence: { sequencer: TerraformFirst },
    testTimeout: 30_000,
    // Transformed modules are kept in node_modules/.experimental-vitest-cache, keyed by content:
    // a rerun transforms only the files that changed (about 3 s less transform and import).
    experimental: { fsModuleCache: true },
    hookTimeout: 600_000,
  },
});
