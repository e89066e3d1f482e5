import { readFileSync } from "node:fs";
import { isScalar, parseAllDocuments, visit } from "yaml";

/*
 * The config file as data, or problems in the config's terms: never a library's stack trace.
 * A YAML library protects itself (alias bombs, runaway recursion) by throwing; here each of those
 * is a line the user can act on.
 */

/** How deep a config may nest; the real one nests 6 levels. */
export const MAX_DEPTH = 32;
/** Alias uses the whole document may expand (the yaml library's own guard). */
export const MAX_ALIAS_USES = 100;

export type YamlRead =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The file's text, decoded strictly as UTF-8 (a BOM is allowed). */
export function readUtf8(file: string): string {
  const bytes = readFileSync(file);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new Utf8Error(
      `the file is not UTF-8 text (byte 0x${bytes[at]?.toString(16).padStart(2, "0")} at offset ${at}, line ${lineOf(bytes, at)}); save it as UTF-8`,
    );
  }
}

export class Utf8Error extends Error {}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Where the first byte that breaks UTF-8 is (to point at it; the decoder decides validity). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const trailing =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (trailing < 0) return i;
    for (let k = 1; k <= trailing; k++) {
      if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += trailing + 1;
  }
  return Math.max(0, bytes.length - 1);
}

/** Parses one YAML document; every failure becomes a problem line. */
export function parseYaml(text: string): YamlRead {
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true, merge: true });
  } catch (err) {
    return { ok: false, problems: [libraryFailure(err)] };
  }
  if (!Array.isArray(docs)) {
    // parseAllDocuments returns an EmptyStream for a stream with no documents.
    return { ok: true, value: undefined };
  }
  if (docs.length > 1) {
    return {
      ok: false,
      problems: [
        `the file holds ${docs.length} YAML documents (separated by "---"); a platform config is one document`,
      ],
    };
  }
  const doc = docs[0];
  if (!doc) return { ok: true, value: undefined };
  if (doc.errors.length > 0) {
    // After the first syntax error the parser's view of the rest is guesswork (a tab used for
    // indentation makes a dozen follow-on errors): report the first, and how many followed.
    // Duplicate keys are each a mistake of their own.
    const [first, ...rest] = doc.errors;
    const duplicates = rest.filter((e) => e.code === "DUPLICATE_KEY");
    const others = rest.length - duplicates.length;
    const problem = yamlProblem(first.code, first.message, text, first.linePos?.[0]);
    return {
      ok: false,
      problems: [
        others > 0
          ? `${problem} (and ${others} more YAML errors after it, which may follow from it)`
          : problem,
        ...duplicates.map((e) => yamlProblem(e.code, e.message, text, e.linePos?.[0])),
      ],
    };
  }
  // A key named __proto__ would set the object's prototype instead of a value (and vanish).
  const protoKeys: string[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === "__proto__") {
        const line = pair.key.range ? text.slice(0, pair.key.range[0]).split("\n").length : 0;
        protoKeys.push(
          `YAML: the key "__proto__" (line ${line}) is not a config field and cannot be read safely; remove it`,
        );
      }
    },
  });
  if (protoKeys.length > 0) return { ok: false, problems: protoKeys };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_USES });
  } catch (err) {
    return { ok: false, problems: [libraryFailure(err)] };
  }
  const { depth, cycle } = shapeOf(value);
  if (cycle) {
    return {
      ok: false,
      problems: [
        "a YAML alias is used inside the value of its own anchor (the value would contain itself); write the value out",
      ],
    };
  }
  if (depth > MAX_DEPTH) {
    return {
      ok: false,
      problems: [
        `the document nests ${depth} levels deep; a platform config nests at most ${MAX_DEPTH}`,
      ],
    };
  }
  return { ok: true, value };
}

function yamlProblem(
  code: string,
  message: string,
  text: string,
  pos: { line: number; col: number } | undefined,
): string {
  const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
  if (code === "DUPLICATE_KEY" && pos) {
    const line = text.split(/\r?\n/)[pos.line - 1] ?? "";
    const key = /^\s*(?:-\s+)?("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(line)?.[1]?.trim();
    return `YAML: the key ${key ? JSON.stringify(key.replace(/^["']|["']$/g, "")) : "here"} appears twice in one mapping${where}; keep one`;
  }
  return `YAML syntax: ${message.split("\n")[0]}`;
}

/** The yaml library's guards throw; say what they mean. */
function libraryFailure(err: unknown): string {
  if (err instanceof RangeError) {
    return `the document nests too deeply to read (more than ${MAX_DEPTH} levels are never needed)`;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/Excessive alias count/.test(message)) {
    return `YAML aliases (*name) expand to too much data: more than ${MAX_ALIAS_USES} alias uses; write the values out or use fewer aliases`;
  }
  const unresolved = /Unresolved alias.*?:\s*(\S+)/.exec(message);
  if (unresolved) {
    return `YAML alias *${unresolved[1]} is used before its anchor &${unresolved[1]} is set (or the anchor does not exist); define the anchor first`;
  }
  return `YAML: ${message.split("\n")[0]}`;
}

/**
 * Nesting depth of the parsed data, and whether an alias refers to its own anchor (a cycle). The
 * walk stops one level past MAX_DEPTH, so a hostile document cannot overflow it.
 */
function shapeOf(value: unknown): { depth: number; cycle: boolean } {
  const path = new Set<object>();
  let cycle = false;
  const walk = (v: unknown, d: number): number => {
    if (!v || typeof v !== "object" || d > MAX_DEPTH) return d;
    if (path.has(v)) {
      cycle = true;
      return d;
    }
    path.add(v);
    let max = d;
    for (const child of Object.values(v as Record<string, unknown>)) {
      max = Math.max(max, walk(child, d + 1));
      if (cycle) break;
    }
    path.delete(v);
    return max;
  };
  const depth = walk(value, 0);
  return { depth, cycle };
}
