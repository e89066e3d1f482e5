import type { RehearsalResult } from "./run";

/** The rehearsal's findings as text: one block per finding, then a summary line. */
export function formatRehearsal(result: RehearsalResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    lines.push(`${f.rule}  ${f.stack}${f.address ? `  ${f.address}` : ""}`);
    lines.push(`    AWS: ${f.effect}`);
    lines.push(`    fix: ${f.fix}`);
  }
  lines.push(
    `Rehearsal: ${result.order.length} stacks applied in runbook order (${result.order.join(" -> ")}), ` +
      `${result.rules.length} rules, ${result.findings.length} finding(s)`,
  );
  return `${lines.join("\n")}\n`;
}
