import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GuardReport } from "./runner";
import type { Finding } from "./types";

export const REPORT_JSON = "guard-report.json";
export const REPORT_MARKDOWN = "guard-report.md";

function line(f: Finding): string {
  return `  ${f.ruleId}  ${f.stackId}  ${f.address}\n      ${f.message}`;
}

/** The report for a terminal: counts, every unsuppressed finding, every suppression with its reason. */
export function formatReport(report: GuardReport): string {
  const { counts } = report;
  const out: string[] = [
    `Guard report: ${report.stacks.length} stacks, ${report.rules.length} rules`,
    `  errors: ${counts.error}  warnings: ${counts.warning}  suppressed: ${counts.suppressed}`,
  ];
  const errors = report.findings.filter((f) => f.severity === "error");
  const warnings = report.findings.filter((f) => f.severity === "warning");
  if (errors.length > 0) out.push("", `Errors (${errors.length}):`, ...errors.map(line));
  if (warnings.length > 0) out.push("", `Warnings (${warnings.length}):`, ...warnings.map(line));
  out.push("", `Suppressions (${report.suppressions.length}):`);
  if (report.suppressions.length === 0) out.push("  none");
  for (const s of report.suppressions) {
    out.push(
      `  ${s.ruleId}  ${s.stackId}  ${s.address}${s.used ? "" : "  (unused: nothing to suppress)"}`,
      `      reason: ${s.reason}`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** Only the error-level findings, for a failed synth. */
export function formatErrors(report: GuardReport): string {
  const errors = report.findings.filter((f) => f.severity === "error");
  return [
    `Guard rules found ${errors.length} error(s); nothing was written to the output directory.`,
    "Fix each one (or, when it is truly intended, suppress it on the resource with",
    "suppressGuard(resource, ruleId, reason); see docs/guardrails.md):",
    ...errors.map(line),
    "",
  ].join("\n");
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function formatReportMarkdown(report: GuardReport): string {
  const { counts } = report;
  const out = [
    "# Guard report",
    "",
    `${report.stacks.length} stacks (${report.stacks.join(", ")}), ${report.rules.length} rules.`,
    "",
    "| errors | warnings | suppressed |",
    "|---|---|---|",
    `| ${counts.error} | ${counts.warning} | ${counts.suppressed} |`,
    "",
    "## Findings",
    "",
  ];
  if (report.findings.length === 0) out.push("None.");
  else {
    out.push("| severity | rule | stack | resource | message |", "|---|---|---|---|---|");
    for (const f of report.findings) {
      out.push(
        `| ${f.severity} | ${f.ruleId} | ${f.stackId} | \`${f.address}\` | ${cell(f.message)} |`,
      );
    }
  }
  out.push("", "## Suppressions", "");
  const controls = (ruleId: string) => {
    const rule = report.rules.find((r) => r.id === ruleId);
    const ids = rule
      ? [...rule.controls.checkov, ...rule.controls.securityHub, ...rule.controls.trivy]
      : [];
    return ids.length ? ids.join(", ") : "-";
  };
  if (report.suppressions.length === 0) out.push("None.");
  else {
    out.push(
      "| rule | public controls | stack | resource | reason | in use |",
      "|---|---|---|---|---|---|",
    );
    for (const s of report.suppressions) {
      out.push(
        `| ${s.ruleId} | ${controls(s.ruleId)} | ${s.stackId} | \`${s.address}\` | ${cell(s.reason)} | ${s.used ? "yes" : "no"} |`,
      );
    }
  }
  out.push("", "## Rules and the public controls they cover", "");
  out.push("| rule | severity | Checkov | Security Hub | Trivy |", "|---|---|---|---|---|");
  for (const r of report.rules) {
    const list = (ids: readonly string[]) => (ids.length ? ids.join(", ") : "-");
    out.push(
      `| ${r.id} | ${r.severity} | ${list(r.controls.checkov)} | ${list(r.controls.securityHub)} | ${list(r.controls.trivy)} |`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** Writes guard-report.json and guard-report.md into `dir`. */
export function writeReport(dir: string, report: GuardReport): void {
  writeFileSync(join(dir, REPORT_JSON), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, REPORT_MARKDOWN), formatReportMarkdown(report));
}
