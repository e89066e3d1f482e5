import { ConfigError } from "../config/load";

/*
 * Where a command finds its config and writes its stacks. Kept apart from run-synth.ts so that
 * scripts that only read the config (stack-order, which terraform-stacks.sh runs in every CI
 * job) load neither cdktf nor the provider bindings (a 1 MB bundle instead of a 4 MB one).
 */

export const DEFAULT_CONFIG = "config/platform.yaml";
export const DEFAULT_OUTDIR = "cdktf.out";

/**
 * `--config FILE` (or `--config=FILE`), else PLATFORM_CONFIG, else config/platform.yaml. A
 * `--config` without a file name is a mistake, not a request for the default file.
 */
export function configPath(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--config") {
      const value = argv[i + 1];
      if (value === undefined || value === "" || value.startsWith("--")) {
        throw new ConfigError("command line", [
          `--config needs a file name (--config path/to/platform.yaml)${value?.startsWith("--") ? `, got the option ${value}` : ""}`,
        ]);
      }
      return value;
    }
    if (arg.startsWith("--config=")) {
      const value = arg.slice("--config=".length);
      if (value === "") {
        throw new ConfigError("command line", [
          "--config= needs a file name after the = (--config=path/to/platform.yaml)",
        ]);
      }
      return value;
    }
  }
  return env.PLATFORM_CONFIG || DEFAULT_CONFIG;
}
