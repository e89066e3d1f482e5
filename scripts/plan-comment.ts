/**
 * Turns `terraform show -json` plans into the markdown the infra workflows post: the pull request
 * comment of plan.yml and the drift issue of drift.yml. The rendering functions are pure (tested
 * in test/scripts/plan-comment.test.ts); the CLI at the bottom only reads and writes files.
 *
 *   tsx scripts/plan-comment.ts pr|drift --dir PLANS --stacks a,b,c --out body.md
 *     [--run-url URL] [--commit SHA]
 *
 * PLANS holds, per stack: `<stack>.json` (`terraform show -json plan`), `<stack>.txt`
 * (`terraform show -no-color plan`, the text reviewers read) and, when the plan failed,
 * `<stack>.log` (its output). The CLI prints `key=value` lines for $GITHUB_OUTPUT.
 *
 * Only the human text goes into the markdown: `terraform show -json` holds sensitive values in
 * clear, so the JSON is used for counts and addresses only and never leaves the runner.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The part of Terraform's JSON plan format (format_version 1.x) this script reads. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly resource_drift?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[] }>>;
  readonly errored?: boolean;
}

export interface ResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly importing?: unknown;
  };
  readonly action_reason?: string;
}

/** One stack's plan as the workflow collected it. */
export interface StackPlan {
  readonly stack: string;
  readonly plan?: PlanJson;
  /** `terraform show -no-color` output. */
  readonly text?: string;
  /** Output of the failed init/plan; present only when the plan failed. */
  readonly error?: string;
}

/** Terraform's own counting: a replacement counts as one add and one destroy. */
export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Of the destroys, how many are replacements. */
  readonly replace: number;
  readonly import: number;
  /** Resources changed outside Terraform since the last apply (`resource_drift`). */
  readonly drifted: number;
  /** Outputs that would change. */
  readonly outputs: number;
}

export interface Destruction {
  readonly stack: string;
  readonly address: string;
  readonly replace: boolean;
}

export const PLAN_COMMENT_MARKER = "<!-- infra-plan-comment -->";
export const DRIFT_ISSUE_MARKER = "<!-- infra-drift-report -->";
/** GitHub rejects comment and issue bodies over 65,536 characters. */
export const GITHUB_BODY_LIMIT = 65_536;

function isReplace(actions: readonly string[]): boolean {
  return actions.includes("create") && actions.includes("delete");
}

function managed(plan: PlanJson | undefined, key: "resource_changes" | "resource_drift") {
  return (plan?.[key] ?? []).filter((rc) => (rc.mode ?? "managed") === "managed");
}

export function planCounts(plan: PlanJson | undefined): PlanCounts {
  let add = 0;
  let change = 0;
  let destroy = 0;
  let replace = 0;
  let imports = 0;
  for (const rc of managed(plan, "resource_changes")) {
    const actions = rc.change.actions;
    if (rc.change.importing) imports++;
    if (isReplace(actions)) {
      add++;
      destroy++;
      replace++;
    } else if (actions.includes("create")) add++;
    else if (actions.includes("delete")) destroy++;
    else if (actions.includes("update")) change++;
  }
  const outputs = Object.values(plan?.output_changes ?? {}).filter(
    (o) => !o.actions.every((a) => a === "no-op"),
  ).length;
  return {
    add,
    change,
    destroy,
    replace,
    import: imports,
    drifted: managed(plan, "resource_drift").length,
    outputs,
  };
}

export function destructions(stack: StackPlan): Destruction[] {
  return managed(stack.plan, "resource_changes")
    .filter((rc) => rc.change.actions.includes("delete"))
    .map((rc) => ({
      stack: stack.stack,
      address: rc.address,
      replace: isReplace(rc.change.actions),
    }));
}

function hasChanges(counts: PlanCounts): boolean {
  return counts.add + counts.change + counts.destroy + counts.import + counts.outputs > 0;
}

/** Whether a stack differs from what is deployed (pending changes, drift, or a failed plan). */
export function needsAttention(stack: StackPlan): boolean {
  if (stack.error !== undefined || !stack.plan) return true;
  const counts = planCounts(stack.plan);
  return hasChanges(counts) || counts.drifted > 0;
}

/**
 * Rewrites plan text so GitHub's `diff` highlighting colours it: the first column gets `+`, `-`
 * or `!` (for `~`) on resource and attribute lines, the original symbol stays where it was.
 */
export function diffHighlight(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const match = /^(\s*)(-\/\+|\+\/-|[+~-]) /.exec(line);
      if (!match) return line;
      const marker = match[2] === "~" ? "!" : match[2][0];
      return match[1].length > 0
        ? marker + line.slice(1)
        : line.startsWith(marker)
          ? line
          : marker + line;
    })
    .join("\n");
}

/** Drops Terraform's legend before "Terraform will perform the following actions:". */
export function trimPreamble(text: string): string {
  const start = text.indexOf("Terraform will perform the following actions:");
  const drift = text.indexOf("Terraform detected the following changes made outside");
  const cut = [drift, start].filter((i) => i >= 0);
  // Only blank lines go from the start: the first line's indentation is part of the plan.
  return (cut.length ? text.slice(Math.min(...cut)) : text).replace(/^(\s*\n)+/, "").trimEnd();
}

/** Keeps the head of `text` within `budget` characters, saying what was cut and where to look. */
export function truncate(text: string, budget: number, runUrl?: string): string {
  if (text.length <= budget) return text;
  const where = runUrl ? `the [workflow run log](${runUrl})` : "the workflow run log";
  const keep = text.slice(0, Math.max(0, budget - 120));
  const cutLines = text.slice(keep.length).split("\n").length;
  return `${keep.slice(0, keep.lastIndexOf("\n") + 1)}... ${cutLines} more lines cut; the full plan is in ${where}`;
}

/** A fenced block that no backtick run inside `text` can close early. */
function fence(text: string, language: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}${language}\n${text}\n${ticks}`;
}

function countCell(n: number, highlight = false): string {
  if (n === 0) return "0";
  return highlight ? `**:warning: ${n}**` : String(n);
}

function summaryLine(counts: PlanCounts): string {
  const parts = [
    `${counts.add} to add`,
    `${counts.change} to change`,
    `${counts.destroy} to destroy`,
  ];
  if (counts.replace) parts.push(`${counts.replace} replaced`);
  if (counts.import) parts.push(`${counts.import} to import`);
  if (counts.drifted) parts.push(`${counts.drifted} changed outside Terraform`);
  if (counts.outputs && !counts.add && !counts.change && !counts.destroy)
    parts.push("outputs only");
  return parts.join(", ");
}

export interface RenderOptions {
  /** Link to the workflow run, for the full logs. */
  readonly runUrl?: string;
  /** The commit that was planned. */
  readonly commit?: string;
  /** @default GITHUB_BODY_LIMIT */
  readonly maxLength?: number;
}

function provenance(options: RenderOptions): string {
  const parts = [
    options.commit ? `commit \`${options.commit.slice(0, 12)}\`` : undefined,
    options.runUrl ? `[workflow run](${options.runUrl})` : undefined,
  ].filter(Boolean);
  return parts.length ? `${parts.join(" · ")}\n\n` : "";
}

function detailsBlocks(stacks: readonly StackPlan[], budget: number, options: RenderOptions) {
  const withBody = stacks.filter((s) => s.error !== undefined || needsAttention(s));
  const share = Math.floor(budget / Math.max(1, withBody.length)) - 200;
  return withBody.map((stack) => {
    if (stack.error !== undefined || !stack.plan) {
      const log = truncate((stack.error ?? "no plan was produced").trim(), share, options.runUrl);
      return `<details open><summary>:x: <code>${stack.stack}</code>: plan failed</summary>\n\n${fence(log, "text")}\n\n</details>`;
    }
    const counts = planCounts(stack.plan);
    const text = truncate(diffHighlight(trimPreamble(stack.text ?? "")), share, options.runUrl);
    const icon = counts.destroy > 0 ? ":warning: " : "";
    return `<details><summary>${icon}<code>${stack.stack}</code>: ${summaryLine(counts)}</summary>\n\n${fence(text, "diff")}\n\n</details>`;
  });
}

function table(stacks: readonly StackPlan[], withDrift: boolean): string {
  const header = withDrift
    ? "| Stack | To add | To change | To destroy | Changed outside Terraform |\n| --- | ---: | ---: | ---: | ---: |"
    : "| Stack | To add | To change | To destroy |\n| --- | ---: | ---: | ---: |";
  const rows = stacks.map((stack) => {
    if (stack.error !== undefined || !stack.plan) {
      return `| \`${stack.stack}\` | :x: plan failed | | |${withDrift ? " |" : ""}`;
    }
    const c = planCounts(stack.plan);
    const cells = [countCell(c.add), countCell(c.change), countCell(c.destroy, true)];
    if (withDrift) cells.push(countCell(c.drifted));
    const note = hasChanges(c) || c.drifted ? "" : " (no changes)";
    return `| \`${stack.stack}\`${note} | ${cells.join(" | ")} |`;
  });
  return [header, ...rows].join("\n");
}

function destroyWarning(stacks: readonly StackPlan[]): string {
  const all = stacks.flatMap(destructions);
  if (all.length === 0) return "";
  const list = all
    .map((d) => `> - \`${d.stack}\`: \`${d.address}\`${d.replace ? " (replaced)" : ""}`)
    .join("\n");
  return `> [!WARNING]\n> **This plan destroys ${all.length} resource${all.length === 1 ? "" : "s"}** (replacements included). Check each one before merging:\n${list}\n\n`;
}

/** The pull request comment: marker, summary table, destroy warning, one collapsible plan per stack. */
export function renderPlanComment(
  stacks: readonly StackPlan[],
  options: RenderOptions = {},
): string {
  const failed = stacks.filter((s) => s.error !== undefined || !s.plan).length;
  const head =
    `${PLAN_COMMENT_MARKER}\n## Terraform plan\n\n${provenance(options)}` +
    `${table(stacks, false)}\n\n${destroyWarning(stacks)}` +
    (failed
      ? `:x: **${failed} stack plan${failed === 1 ? "" : "s"} failed**: see below.\n\n`
      : "") +
    (stacks.every((s) => !needsAttention(s)) ? "No changes in any stack.\n" : "");
  const budget = (options.maxLength ?? GITHUB_BODY_LIMIT) - head.length - 500;
  return `${head}${detailsBlocks(stacks, budget, options).join("\n\n")}\n`;
}

export interface DriftReport {
  readonly drifted: boolean;
  readonly body: string;
}

/**
 * The drift issue: which stacks differ from the deployed platform (pending changes, changes made
 * outside Terraform, or plans that failed), with their counts and plans.
 */
export function renderDriftReport(
  stacks: readonly StackPlan[],
  options: RenderOptions = {},
): DriftReport {
  const attention = stacks.filter(needsAttention);
  const clean = stacks.filter((s) => !needsAttention(s)).map((s) => `\`${s.stack}\``);
  if (attention.length === 0) {
    return {
      drifted: false,
      body: `${DRIFT_ISSUE_MARKER}\n## No infrastructure drift\n\n${provenance(options)}Every stack matches the code: ${clean.join(", ")}.\n`,
    };
  }
  const head =
    `${DRIFT_ISSUE_MARKER}\n## Infrastructure drift\n\n${provenance(options)}` +
    "The nightly plan found differences between the deployed platform and the code on the " +
    "protected branch. Either apply the code (re-run the deploy workflow) or bring the change " +
    "into the code through a pull request. This issue is updated every night and closed " +
    "automatically when no drift is left.\n\n" +
    `${table(attention, true)}\n\n${destroyWarning(attention)}` +
    (clean.length ? `Stacks without drift: ${clean.join(", ")}.\n\n` : "");
  const budget = (options.maxLength ?? GITHUB_BODY_LIMIT) - head.length - 500;
  return {
    drifted: true,
    body: `${head}${detailsBlocks(attention, budget, options).join("\n\n")}\n`,
  };
}

/** Reads `<dir>/<stack>.{json,txt,log}` for each stack. */
export function readStackPlans(dir: string, stacks: readonly string[]): StackPlan[] {
  const read = (file: string) =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : undefined;
  return stacks.map((stack) => {
    const log = read(`${stack}.log`);
    const json = read(`${stack}.json`);
    let plan: PlanJson | undefined;
    try {
      plan = json ? (JSON.parse(json) as PlanJson) : undefined;
    } catch {
      plan = undefined;
    }
    return {
      stack,
      ...(plan ? { plan } : {}),
      ...(read(`${stack}.txt`) !== undefined ? { text: read(`${stack}.txt`) } : {}),
      ...(log !== undefined || !plan ? { error: log ?? `no plan file for ${stack}` } : {}),
    };
  });
}

function parseArgs(argv: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith("--")) args[argv[i].slice(2)] = argv[++i] ?? "";
    else args._ = argv[i];
  }
  return args;
}

function main(argv: readonly string[]): number {
  const args = parseArgs(argv);
  const mode = args._;
  if ((mode !== "pr" && mode !== "drift") || !args.dir || !args.stacks || !args.out) {
    process.stderr.write(
      "usage: plan-comment.ts pr|drift --dir PLANS --stacks a,b,c --out FILE [--run-url URL] [--commit SHA]\n",
    );
    return 2;
  }
  const stacks = readStackPlans(args.dir, args.stacks.split(/[\s,]+/).filter(Boolean));
  const options: RenderOptions = { runUrl: args["run-url"], commit: args.commit };
  const failed = stacks.filter((s) => s.error !== undefined).length;
  const destroys = stacks.flatMap(destructions).length;
  if (mode === "pr") {
    writeFileSync(args.out, renderPlanComment(stacks, options));
  } else {
    const report = renderDriftReport(stacks, options);
    writeFileSync(args.out, report.body);
    process.stdout.write(`drifted=${report.drifted}\n`);
  }
  process.stdout.write(`failed=${failed}\ndestroys=${destroys}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
