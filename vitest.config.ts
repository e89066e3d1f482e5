import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/setup-matchers.ts"],
    // Synthesizing stacks and running terraform are CPU-bound; the machine has 2 cores.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 600_000,
  },
});
