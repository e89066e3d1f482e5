import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseConfig, type PlatformConfig, type PlatformConfigInput } from "../../src/config";

export const EXAMPLE_CONFIG_PATH = join(__dirname, "..", "..", "config", "platform.yaml");

let parsedExample: { readonly mtimeMs: number; readonly input: PlatformConfigInput } | undefined;

/**
 * The example config as written (before defaults), a fresh copy each time so tests may mutate
 * it. The file is parsed once per worker while it is unchanged (hundreds of tests start from it;
 * watch mode keeps the worker across edits).
 */
export function exampleInput(): PlatformConfigInput {
  const { mtimeMs } = statSync(EXAMPLE_CONFIG_PATH);
  if (parsedExample?.mtimeMs !== mtimeMs) {
    const input = parse(readFileSync(EXAMPLE_CONFIG_PATH, "utf8")) as PlatformConfigInput;
    parsedExample = { mtimeMs, input };
  }
  return structuredClone(parsedExample.input);
}

/** The example config, validated; `edit` changes the raw input first. */
export function exampleConfig(edit?: (input: PlatformConfigInput) => void): PlatformConfig {
  const input = exampleInput();
  edit?.(input);
  return parseConfig(input, "test-config");
}

/** The problems a config edit produces (empty when it is valid). */
export function configProblems(edit: (input: Record<string, unknown>) => void): string[] {
  const input = exampleInput() as unknown as Record<string, unknown>;
  edit(input);
  try {
    parseConfig(input, "test-config");
    return [];
  } catch (err) {
    const problems = (err as { problems?: string[] }).problems;
    if (!problems) throw err;
    return problems;
  }
}

/**
 * The example on HCP Terraform with remote execution: every stack CI deploys runs in its
 * workspace with dynamic AWS credentials (the HCP plan and apply roles).
 */
export function hcpRemoteConfig(edit?: (input: PlatformConfigInput) => void): PlatformConfig {
  return exampleConfig((c) => {
    c.state = {
      backend: "hcp",
      organization: "acme",
      workspacePrefix: "acme-shop-",
      execution: "remote",
    };
    edit?.(c);
  });
}
