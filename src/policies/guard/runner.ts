import { controlsOf, type PublicControls } from "./controls";
import { GUARD_RULES } from "./rules";
import { suppressionsOf } from "./suppress";
import { providerDefaultTags, resources, dataSources } from "./terraform";
import type { Finding, GuardContext, GuardRule, Severity, SynthesizedStackJson } from "./types";

export interface GuardOptions {
  /**
   * Environment names whose stacks get production-only rules (ALB deletion protection, ...).
   * A stack belongs to an environment through its AWS provider's `Environment` default tag.
   * @default ["production", "prod"] - use guardOptionsFromConfig(config) to take them from config
   */
  readonly productionEnvironments?: readonly string[];
  /** @default GUARD_RULES */
  readonly rules?: readonly GuardRule[];
}

/** A suppression recorded on a resource with suppressGuard(). */
export interface Suppression {
  readonly stackId: string;
  readonly address: string;
  readonly ruleId: string;
  readonly reason: string;
  /** False when the rule no longer finds anything there: the suppression can be removed. */
  readonly used: boolean;
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

export interface GuardReport {
  readonly stacks: readonly string[];
  readonly rules: readonly (Pick<GuardRule, "id" | "severity" | "rationale"> & {
    /** Public scanner controls (Checkov, Security Hub, Trivy) the rule covers. */
    readonly controls: PublicControls;
  })[];
  /** Findings that are not suppressed; any error-level one fails synth. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly suppressions: readonly Suppression[];
  readonly counts: Readonly<Record<Severity, number>> & { readonly suppressed: number };
}

/** Reported for a suppression that names no known rule or has no reason. */
export const INVALID_SUPPRESSION_RULE_ID = "GUARD_SUPPRESSION_INVALID";

const DEFAULT_PRODUCTION = ["production", "prod"];

/** Production environments from config (`environments.<env>.production: true`). */
export function guardOptionsFromConfig(config: {
  readonly environments: Readonly<Record<string, { readonly production?: boolean }>>;
}): GuardOptions {
  return {
    productionEnvironments: Object.entries(config.environments)
      .filter(([, env]) => env.production === true)
      .map(([name]) => name),
  };
}

/** Runs every guard rule on every stack, applies suppressions and counts what is left. */
export function runGuards(
  stacks: Readonly<Record<string, SynthesizedStackJson>>,
  options: GuardOptions = {},
): GuardReport {
  const rules = options.rules ?? GUARD_RULES;
  const productionEnvironments = options.productionEnvironments ?? DEFAULT_PRODUCTION;
  const knownRules = new Set(GUARD_RULES.map((r) => r.id).concat(rules.map((r) => r.id)));
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const suppressions: Suppression[] = [];

  for (const stackId of Object.keys(stacks).sort()) {
    const stack = stacks[stackId];
    const environment = providerDefaultTags(stack).Environment;
    const context: GuardContext = {
      stackId,
      productionEnvironments,
      production: typeof environment === "string" && productionEnvironments.includes(environment),
    };

    // address -> rule id -> reason
    const recorded = new Map<string, Record<string, string>>();
    for (const r of [...resources(stack), ...dataSources(stack)]) {
      const s = suppressionsOf(r.block);
      if (Object.keys(s).length > 0) recorded.set(r.address, s);
    }
    const used = new Set<string>();

    for (const rule of rules) {
      for (const v of safeCheck(rule, stack, context)) {
        const finding: Finding = {
          ruleId: rule.id,
          severity: rule.severity,
          stackId,
          address: v.address,
          message: v.message,
        };
        const reason = recorded.get(v.address)?.[rule.id];
        if (reason !== undefined && reason.trim() !== "") {
          suppressed.push({ ...finding, reason });
          used.add(`${v.address}\u0000${rule.id}`);
        } else {
          findings.push(finding);
        }
      }
    }

    for (const [address, byRule] of recorded) {
      for (const [ruleId, reason] of Object.entries(byRule)) {
        if (!knownRules.has(ruleId) || reason.trim() === "") {
          findings.push({
            ruleId: INVALID_SUPPRESSION_RULE_ID,
            severity: "error",
            stackId,
            address,
            message: knownRules.has(ruleId)
              ? `suppression of ${ruleId} has no reason; pass one to suppressGuard()`
              : `suppression names unknown rule ${ruleId}; see docs/guardrails.md for rule ids`,
          });
        }
        suppressions.push({
          stackId,
          address,
          ruleId,
          reason,
          used: used.has(`${address}\u0000${ruleId}`),
        });
      }
    }
  }

  findings.sort(byImportance);
  suppressed.sort(byImportance);
  return {
    stacks: Object.keys(stacks).sort(),
    rules: rules.map(({ id, severity, rationale }) => ({
      id,
      severity,
      rationale,
      controls: controlsOf(id),
    })),
    findings,
    suppressed,
    suppressions,
    counts: {
      error: findings.filter((f) => f.severity === "error").length,
      warning: findings.filter((f) => f.severity === "warning").length,
      suppressed: suppressed.length,
    },
  };
}

/** A rule that crashes on unexpected input reports that instead of aborting the whole run. */
function safeCheck(rule: GuardRule, stack: SynthesizedStackJson, context: GuardContext) {
  try {
    return rule.check(stack, context);
  } catch (err) {
    return [
      {
        address: "(rule)",
        message: `rule failed on this stack: ${err instanceof Error ? err.message : String(err)}; this is a bug in the rule`,
      },
    ];
  }
}

/** localeCompare's order, without building a collator per comparison. */
const compareText = new Intl.Collator().compare;

function byImportance(a: Finding, b: Finding): number {
  return (
    (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) ||
    compareText(a.stackId, b.stackId) ||
    compareText(a.address, b.address) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.message, b.message)
  );
}

/** True when the report has an error-level finding that is not suppressed. */
export function hasErrors(report: GuardReport): boolean {
  return report.counts.error > 0;
}
