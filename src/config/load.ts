import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { looseView, strictView } from "./loose-view";
import { platformSchema, type PlatformConfig } from "./schema/platform";
import { crossFieldIssues } from "./validate";

/** A config that cannot be used; `problems` holds one line per mistake, each naming its field. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the platform config:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `environments.production.services[1].memory` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    const text = String(key);
    const safe = /^[A-Za-z_][\w-]*$/.test(text) ? text : JSON.stringify(text);
    return out ? `${out}.${safe}` : safe;
  }, "");
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path) || "(top level)";
  if (issue.code === "unrecognized_keys") {
    return issue.keys
      .map(
        (key) =>
          `${formatPath([...issue.path, key])}: unknown key (check the spelling; unknown keys are errors)`,
      )
      .join("\n");
  }
  // zod's own wording starts with "Invalid input"; a schema's custom message says more.
  const custom = issue.message.startsWith("Invalid") ? undefined : issue.message;
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `${where}: is required (${custom ?? `${issue.expected} expected`})`;
  }
  if (issue.code === "invalid_type") {
    return `${where}: ${show(issue.input)} is not valid; ${custom ?? `${issue.expected} expected`}`;
  }
  if (issue.code === "invalid_key") {
    const reason = issue.issues.map((i) => i.message).join("; ");
    return `${where}: ${show(issue.input)} is not a valid key; ${reason}`;
  }
  return `${where}: ${show(issue.input)} is not valid; ${issue.message}`;
}

/** Validates an already-parsed document; throws ConfigError listing every problem at once. */
export function parseConfig(raw: unknown, source = "config"): PlatformConfig {
  const result = platformSchema.safeParse(raw, { reportInput: true });
  const schemaProblems = result.success
    ? []
    : result.error.issues.flatMap((issue) => describeIssue(issue).split("\n"));
  const crossProblems = crossFieldIssues(
    result.success ? strictView(result.data) : looseView(raw),
  ).map((i) => `${formatPath(i.path)}: ${show(i.input)} is not valid; ${i.message}`);
  const problems = [...new Set([...schemaProblems, ...crossProblems])];
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(source, problems);
}

/** Reads, parses and validates a YAML platform config file. */
export function loadConfig(file: string): PlatformConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reasons: Record<string, string> = {
      ENOENT: "file not found",
      EISDIR: "it is a directory, not a file",
      EACCES: "permission denied",
    };
    const reason = reasons[(err as NodeJS.ErrnoException).code ?? ""] ?? String(err);
    throw new ConfigError(file, [`cannot read the config file: ${reason}`]);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => `YAML syntax: ${e.message.split("\n")[0]}`),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const expected =
    "expected a YAML mapping with project, state, github, services, environments and pipeline (see config/platform.yaml)";
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, [`the file is empty; ${expected}`]);
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    const kind = Array.isArray(raw) ? "a list" : `a ${typeof raw}`;
    throw new ConfigError(file, [`the document is ${kind}; ${expected}`]);
  }
  return parseConfig(raw, file);
}
