import type { z } from "zod";
import { looseView, strictView } from "./loose-view";
import { parseYaml, readUtf8, Utf8Error } from "./read-yaml";
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

/** A value as the config wrote it, short: numbers YAML can write but JSON cannot, and no dumps. */
export function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value); // .inf, .nan
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length > 80 ? `a list of ${value.length} entries` : text;
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    const text = JSON.stringify(value);
    if (text.length <= 80) return text;
    return `a mapping with ${keys.slice(0, 4).join(", ")}${keys.length > 4 ? ", ..." : ""}`;
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** zod's type names in the config's terms. */
const TYPE_NAMES: Record<string, string> = {
  record: "a mapping (name: value)",
  object: "a mapping (key: value)",
  array: "a list",
  number: "a number",
  int: "a whole number",
  string: "a string",
  boolean: "true or false",
};

/** "10080 minutes (7 days)": a limit in minutes, also in the unit people think in. */
function minutesHint(path: readonly PropertyKey[], limit: number | bigint): string {
  const key = String(path[path.length - 1] ?? "");
  const n = Number(limit);
  if (!/Minutes$/.test(key) || n < 60) return "";
  const days = n / 1440;
  const hours = n / 60;
  if (Number.isInteger(days)) return ` (${days} day${days === 1 ? "" : "s"})`;
  if (Number.isInteger(hours)) return ` (${hours} hours)`;
  return "";
}

function describeLimit(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== "too_big" && issue.code !== "too_small") return undefined;
  const big = issue.code === "too_big";
  const limit = big ? issue.maximum : issue.minimum;
  const inclusive = issue.inclusive !== false;
  const bound = big ? (inclusive ? "at most" : "less than") : inclusive ? "at least" : "more than";
  switch (issue.origin) {
    case "number":
    case "int":
    case "bigint":
      return `must be ${bound} ${String(limit)}${minutesHint(issue.path, limit)}`;
    case "array":
    case "set":
      return `has ${Array.isArray(issue.input) ? issue.input.length : "too many"} entries; it must have ${bound} ${String(limit)}`;
    case "string":
      return `is ${typeof issue.input === "string" ? issue.input.length : "too many"} characters; it must be ${bound} ${String(limit)}`;
    default:
      return undefined;
  }
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
  const expected =
    issue.code === "invalid_type"
      ? `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`
      : undefined;
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `${where}: is required (${custom ?? expected})`;
  }
  if (issue.code === "invalid_type") {
    // A number YAML can write but no field accepts (.inf, .nan) says so rather than "number".
    const nonFinite =
      typeof issue.input === "number" && !Number.isFinite(issue.input)
        ? "must be a finite number"
        : undefined;
    // YAML reads an unquoted 1.10 as the number 1.1 and yes as true: say how to keep the text.
    const quote =
      issue.expected === "string" && ["number", "boolean"].includes(typeof issue.input)
        ? ' (YAML read it as a number or boolean: quote it, e.g. "1.10")'
        : "";
    return `${where}: ${show(issue.input)} is not valid; ${nonFinite ?? custom ?? expected}${quote}`;
  }
  // A mapping with an unknown kind (state.backend: gcs): show the kind, not the whole mapping.
  const last = issue.path[issue.path.length - 1];
  const input =
    issue.input &&
    typeof issue.input === "object" &&
    typeof last === "string" &&
    last in issue.input
      ? (issue.input as Record<string, unknown>)[last]
      : issue.input;
  if (issue.code === "invalid_union" && !custom) {
    return `${where}: ${show(input)} is not valid; it is none of the forms this field accepts (see docs/configuration.md)`;
  }
  if (
    issue.code === "invalid_format" &&
    issue.format === "regex" &&
    /^Invalid string/.test(issue.message)
  ) {
    return `${where}: ${show(input)} is not valid; it must have the form ${String(issue.pattern)}`;
  }
  // zod's default wording for limits ("Too big: expected number to be <=10080") is replaced;
  // a schema's own message for a limit is kept.
  const zodWording = /^Too (big|small)/.test(issue.message);
  const limit = describeLimit(issue);
  if (limit && zodWording) {
    return `${where}: ${show(issue.input)} is not valid; ${limit}`;
  }
  if (issue.code === "invalid_key") {
    const reason = issue.issues.map((i) => i.message).join("; ");
    return `${where}: ${show(issue.input)} is not a valid key; ${reason}`;
  }
  return `${where}: ${show(input)} is not valid; ${issue.message}`;
}

/** Validates an already-parsed document; throws ConfigError listing every problem at once. */
export function parseConfig(raw: unknown, source = "config"): PlatformConfig {
  const result = platformSchema.safeParse(raw, { reportInput: true });
  const schemaProblems = result.success
    ? []
    : result.error.issues.flatMap((issue) => describeIssue(issue).split("\n"));
  const rawPipeline = (raw as { pipeline?: unknown } | null | undefined)?.pipeline;
  const promotionDefaulted =
    typeof rawPipeline === "object" &&
    rawPipeline !== null &&
    (rawPipeline as { promotion?: unknown }).promotion === undefined;
  const crossProblems = crossFieldIssues({
    ...(result.success ? strictView(result.data) : looseView(raw)),
    promotionDefaulted,
  }).map((i) => `${formatPath(i.path)}: ${show(i.input)} is not valid; ${i.message}`);
  const problems = [...new Set([...schemaProblems, ...crossProblems])];
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(source, problems);
}

/** Reads, parses and validates a YAML platform config file. */
export function loadConfig(file: string): PlatformConfig {
  let text: string;
  try {
    text = readUtf8(file);
  } catch (err) {
    if (err instanceof Utf8Error) throw new ConfigError(file, [err.message]);
    const reasons: Record<string, string> = {
      ENOENT: "file not found",
      EISDIR: "it is a directory, not a file",
      EACCES: "permission denied",
    };
    const reason = reasons[(err as NodeJS.ErrnoException).code ?? ""] ?? String(err);
    throw new ConfigError(file, [`cannot read the config file: ${reason}`]);
  }
  const read = parseYaml(text);
  if (!read.ok) throw new ConfigError(file, read.problems);
  const raw = read.value;
  const expected =
    "expected a YAML mapping with project, state, github, services, environments and pipeline (see config/platform.yaml)";
  if (raw === undefined || raw === null) {
    throw new ConfigError(file, [`the file is empty; ${expected}`]);
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    const kind = Array.isArray(raw) ? "a list" : `a ${typeof raw}`;
    throw new ConfigError(file, [`the document is ${kind}; ${expected}`]);
  }
  return parseConfig(raw, file);
}
