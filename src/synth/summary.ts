import {
  backendLabel,
  deployedByCi,
  readSynthOutput,
  resourcesIn,
  type SynthOutput,
} from "./output";

/**
 * The compact table `npm run synth` prints after a successful synth: every stack with its
 * backend, resource count, dependencies and guard findings, then the deploy order.
 */

/** Tie-breaks among stacks that are ready to deploy at the same time. */
export interface OrderOptions {
  /** Stacks that go before any other ready stack (bootstrap stacks). @default [] */
  readonly first?: readonly string[];
  /**
   * Environment names in promotion order. A stack whose id ends in `-<env>` ranks by its
   * environment, after the shared stacks, so one environment is finished before the next one
   * starts (staging before production). @default [] - manifest order only
   */
  readonly environments?: readonly string[];
}

/**
 * Stacks in deploy order: every stack after the stacks it depends on (Kahn's algorithm). Among
 * the stacks ready at the same time: `first` stacks, then shared stacks, then per-environment
 * stacks in `environments` order, then manifest order, so the order is stable across runs.
 * Dependencies on stacks that are not in the map are ignored; a cycle throws.
 */
export function deployOrder(
  dependencies: Readonly<Record<string, readonly string[]>>,
  options: OrderOptions = {},
): string[] {
  const ids = Object.keys(dependencies);
  const environments = options.environments ?? [];
  const rank = (id: string): number[] => {
    const env = environments.findIndex((e) => id.endsWith(`-${e}`));
    return [options.first?.includes(id) ? 0 : 1, env, ids.indexOf(id)];
  };
  const before = (a: string, b: string): boolean => {
    const [ra, rb] = [rank(a), rank(b)];
    const diff = ra.findIndex((v, i) => v !== rb[i]);
    return diff >= 0 && ra[diff] < rb[diff];
  };
  const pending = new Map(
    ids.map((id) => [id, new Set(dependencies[id].filter((d) => d !== id && d in dependencies))]),
  );
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = ids
      .filter((id) => pending.get(id)?.size === 0)
      .reduce<string | undefined>(
        (best, id) => (best === undefined || before(id, best) ? id : best),
        undefined,
      );
    if (ready === undefined) {
      throw new Error(`stack dependency cycle among: ${[...pending.keys()].join(", ")}`);
    }
    order.push(ready);
    pending.delete(ready);
    for (const deps of pending.values()) deps.delete(ready);
  }
  return order;
}

/**
 * The deploy order of a synth output: bootstrap stacks (local backend) first, then the rest as
 * deployOrder ranks them.
 */
export function outputDeployOrder(
  output: SynthOutput,
  environments: readonly string[] = [],
): string[] {
  const first = Object.values(output.stacks)
    .filter((s) => !deployedByCi(s.document))
    .map((s) => s.id);
  return deployOrder(dependencyMap(output), { first, environments });
}

/** Stack id -> dependencies, from a read synth output. */
export function dependencyMap(output: SynthOutput): Record<string, readonly string[]> {
  return Object.fromEntries(Object.values(output.stacks).map((s) => [s.id, s.dependencies]));
}

/** Renders rows as an aligned plain-text table (first row is the header). */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]))
      .join("  ")
      .trimEnd();
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)]
    .join("\n")
    .concat("\n");
}

function guardCell(output: SynthOutput, id: string): string {
  if (!output.guardFindings) return "-";
  const count = output.guardFindings[id] ?? { errors: 0, warnings: 0 };
  const total = count.errors + count.warnings;
  return count.errors > 0 ? `${total} (${count.errors} error)` : String(total);
}

/** The summary text: the stack table, then the deploy order (environments as in deployOrder). */
export function synthSummary(output: SynthOutput, environments: readonly string[] = []): string {
  const order = outputDeployOrder(output, environments);
  const rows = [["stack", "backend", "resources", "depends on", "guard findings"]];
  for (const id of order) {
    const stack = output.stacks[id];
    rows.push([
      id,
      backendLabel(stack.document),
      String(resourcesIn(stack.document).length),
      stack.dependencies.length ? stack.dependencies.join(", ") : "-",
      guardCell(output, id),
    ]);
  }
  return `${textTable(rows)}\nDeploy order: ${order.join(" -> ")}\n`;
}

/**
 * The summary of a synthesized output directory. Never throws: the summary is a convenience and
 * must not fail a synth that succeeded, so a read error becomes a one-line note.
 */
export function summarizeOutdir(outdir: string, environments: readonly string[] = []): string {
  try {
    return synthSummary(readSynthOutput(outdir), environments);
  } catch (err) {
    return `(no synth summary: ${err instanceof Error ? err.message : String(err)})\n`;
  }
}

/** The config's environments in promotion order, then any environment outside the promotion. */
export function environmentOrder(config: {
  readonly pipeline: { readonly promotion: readonly string[] };
  readonly environments: Readonly<Record<string, unknown>>;
}): string[] {
  return [...new Set([...config.pipeline.promotion, ...Object.keys(config.environments)])];
}
