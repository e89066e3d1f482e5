import { createHash } from "node:crypto";

/*
 * Priorities of the services' rules on an environment's HTTPS listener. ELB rejects a priority
 * that another rule of the listener holds (PriorityInUse), and Terraform updates rules in
 * parallel, so a priority must not depend on a service's position in `services[]`: inserting,
 * removing or moving one service would shift the others onto each other's priorities and fail the
 * apply. Each service's priority comes from a hash of its name instead, so it never changes when
 * other services come, go or move. The range starts above the 1000 + 10 x index scheme used
 * before, so moving off it cannot collide either. (Host-header conditions are disjoint, so the
 * order of the rules does not matter.)
 */

/** Inclusive range of the services' listener rule priorities (ELB allows 1-50000). */
export const LISTENER_RULE_PRIORITIES = { min: 10000, max: 49999 } as const;

/**
 * Service name -> listener rule priority: a hash of the name within LISTENER_RULE_PRIORITIES.
 * Two names with the same hash take the next free value, the alphabetically first keeping its
 * own, so results are deterministic and distinct (a clash needs two of ~40,000 values to meet).
 */
export function listenerRulePriorities(services: readonly string[]): Record<string, number> {
  const { min, max } = LISTENER_RULE_PRIORITIES;
  const size = max - min + 1;
  const taken = new Set<number>();
  const priorities: Record<string, number> = {};
  for (const name of [...new Set(services)].sort()) {
    let slot = parseInt(createHash("sha256").update(name).digest("hex").slice(0, 8), 16) % size;
    while (taken.has(slot)) slot = (slot + 1) % size;
    taken.add(slot);
    priorities[name] = min + slot;
  }
  return priorities;
}
