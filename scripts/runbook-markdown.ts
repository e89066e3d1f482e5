/**
 * The first-deploy runbook (src/model/runbook.ts) as Markdown: the detailed steps for
 * docs/first-deploy.md and the one-line-per-step summary for README.md. Both are generated from
 * the same model the rehearsal walks, so the documented order is the order that was rehearsed.
 */
import type { PlatformConfig } from "../src/config";
import { GITHUB_OIDC_HOST } from "../src/policies/github-oidc-token";
import type { ApplyStep, OperatorStep, Runbook, RunbookStep } from "../src/model/runbook";

/** Consecutive CI steps form one run of the deploy workflow. */
type Group =
  | { readonly kind: "admin"; readonly step: ApplyStep }
  | { readonly kind: "ci"; readonly steps: readonly ApplyStep[] }
  | { readonly kind: "operator"; readonly step: OperatorStep };

function groups(runbook: Runbook): Group[] {
  const out: Group[] = [];
  for (const step of runbook.steps as RunbookStep[]) {
    if (step.kind === "operator") out.push({ kind: "operator", step });
    else if (step.firstApply === "administrator") out.push({ kind: "admin", step });
    else {
      const last = out[out.length - 1];
      if (last?.kind === "ci") out[out.length - 1] = { kind: "ci", steps: [...last.steps, step] };
      else out.push({ kind: "ci", steps: [step] });
    }
  }
  return out;
}

const profile = (account: string) => `<admin-profile-of-${account}>`;

function adminCommands(step: ApplyStep, config: PlatformConfig): string[] {
  const dir = `cdktf.out/stacks/${step.stack}`;
  const account = step.accountId ?? step.backendAccountId;
  const env = [
    ...(step.githubToken ? ["GITHUB_TOKEN=<token with admin on the repositories>"] : []),
    ...(step.tfeToken ? ["TFE_TOKEN=<HCP Terraform token that may manage the project>"] : []),
    ...(account ? [`AWS_PROFILE=${profile(account)}`] : []),
  ].join(" ");
  if (step.stack === "state") return [`${env} npx cdktf deploy state`];
  const backend =
    step.backendAccountId && step.backendAccountId !== account && config.state.backend === "s3"
      ? ` -backend-config="profile=${profile(step.backendAccountId)}"`
      : "";
  return [`${env} terraform -chdir=${dir} init${backend}`, `${env} terraform -chdir=${dir} apply`];
}

function who(step: ApplyStep, config: PlatformConfig): string {
  const where = step.accountId
    ? `account ${step.accountId} (${step.region})`
    : step.tfeToken
      ? `HCP Terraform (organization ${config.state.backend === "hcp" ? config.state.organization : "-"})`
      : "GitHub";
  const state =
    config.state.backend === "hcp"
      ? ""
      : step.accountId && step.backendAccountId
        ? `; its state is in account ${step.backendAccountId}, so the backend uses that account's credentials`
        : !step.accountId && step.backendAccountId
          ? `, state in account ${step.backendAccountId}`
          : "";
  return `${where}${state}, by an administrator. Why an administrator: ${step.administratorBecause ?? "bootstrap"}`;
}

/** The detailed runbook: numbered steps with commands. */
export function runbookMarkdown(runbook: Runbook, config: PlatformConfig): string {
  const lines: string[] = [];
  groups(runbook).forEach((group, i) => {
    const n = `${i + 1}.`;
    // List item content is indented to the text after the number (prettier's Markdown style).
    const pad = " ".repeat(n.length + 1);
    if (group.kind === "admin") {
      lines.push(`${n} **Apply \`${group.step.stack}\`**: ${who(group.step, config)}.`, "");
      lines.push(
        `${pad}\`\`\`sh`,
        ...adminCommands(group.step, config).map((c) => `${pad}${c}`),
        `${pad}\`\`\``,
        "",
      );
    } else if (group.kind === "ci") {
      const ids = group.steps.map((s) => s.stack).join(" ");
      lines.push(
        `${n} **Run the deploy workflow** of ${config.github.owner}/${config.github.infraRepository} ` +
          `(Actions, _deploy_, _Run workflow_ on \`${config.github.infraApplyBranch}\`) with **stacks** ` +
          `\`${ids}\`. ${
            group.steps.some((s) => s.token && s.token.host !== GITHUB_OIDC_HOST)
              ? "Each stack runs in HCP Terraform (remote execution) as the HCP apply role of its account"
              : "Each stack runs as the infra apply role of its account"
          }:`,
        "",
        ...group.steps.map((s) => `${pad}- \`${s.stack}\`: \`${s.roleArn}\``),
        "",
      );
    } else {
      const step = group.step;
      lines.push(`${n} **${step.title}.** ${capitalize(step.why)}.`, "");
      lines.push(...step.instructions.map((text) => `${pad}- ${asInstruction(text)}`), "");
    }
  });
  return lines.join("\n").trim();
}

/** One line per step, for the README. */
export function runbookSummary(runbook: Runbook): string {
  return groups(runbook)
    .map((group, i) => {
      const n = `${i + 1}.`;
      if (group.kind === "admin") return `${n} Administrator applies \`${group.step.stack}\``;
      if (group.kind === "ci") {
        return `${n} Deploy workflow applies ${group.steps.map((s) => `\`${s.stack}\``).join(", ")}`;
      }
      return `${n} Operator: ${group.step.title}`;
    })
    .join("\n");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Commands in backticks; prose (console steps) as written. */
function asInstruction(text: string): string {
  return !text.includes("`") && (/^(aws |terraform |npm |git )/.test(text) || text.includes("  # "))
    ? `\`${text}\``
    : text;
}
