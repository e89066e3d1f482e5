import type { TerraformDataSource, TerraformResource } from "cdktf";
import { GUARD_RULES } from "./rules";
import { isBlock, metadataOf } from "./terraform";
import type { Block } from "./types";

/** Key under a resource's `//` metadata; Terraform ignores `//` properties in JSON. */
export const SUPPRESSIONS_KEY = "guard_suppressions";

/**
 * Accepts a guard rule's finding on one resource, with the reason a reviewer reads in the guard
 * report. The suppression is written into the resource's synthesized JSON (`//` metadata, which
 * Terraform ignores), so the runner sees it wherever the stack is checked.
 *
 * @throws if the reason is empty or the rule id is unknown.
 */
export function suppressGuard(
  resource: TerraformResource | TerraformDataSource,
  ruleId: string,
  reason: string,
): void {
  if (!GUARD_RULES.some((r) => r.id === ruleId)) {
    throw new Error(`suppressGuard: unknown guard rule "${ruleId}" (see docs/guardrails.md)`);
  }
  if (typeof reason !== "string" || reason.trim() === "") {
    throw new Error(
      `suppressGuard: suppressing ${ruleId} on ${resource.node.path} needs a reason a reviewer would accept`,
    );
  }
  resource.addOverride(`//.${SUPPRESSIONS_KEY}.${ruleId}`, reason.trim());
}

/** Rule id -> reason, as recorded in a resource's synthesized JSON. */
export function suppressionsOf(resourceBlock: Block): Record<string, string> {
  const recorded = metadataOf(resourceBlock)[SUPPRESSIONS_KEY];
  if (!isBlock(recorded)) return {};
  const out: Record<string, string> = {};
  for (const [ruleId, reason] of Object.entries(recorded)) out[ruleId] = String(reason ?? "");
  return out;
}
