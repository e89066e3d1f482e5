import { describe, expect, it } from "vitest";
import {
  LISTENER_RULE_PRIORITIES,
  listenerRulePriorities,
} from "../../src/model/listener-priorities";

describe("listenerRulePriorities", () => {
  const names = Array.from({ length: 60 }, (_, i) => `svc-${i}`);

  it("gives every service a distinct priority inside the range", () => {
    const priorities = Object.values(listenerRulePriorities(names));
    expect(new Set(priorities).size).toBe(names.length);
    for (const p of priorities) {
      expect(p).toBeGreaterThanOrEqual(LISTENER_RULE_PRIORITIES.min);
      expect(p).toBeLessThanOrEqual(LISTENER_RULE_PRIORITIES.max);
    }
  });

  it("depends on the name only, never on the order or on the other services", () => {
    const all = listenerRulePriorities(names);
    expect(listenerRulePriorities([...names].reverse())).toEqual(all);
    expect(listenerRulePriorities(["svc-7"])["svc-7"]).toBe(all["svc-7"]);
    expect(listenerRulePriorities(names.slice(30))["svc-42"]).toBe(all["svc-42"]);
  });

  it("stays above the old 1000 + 10 x index range, so moving off it cannot collide", () => {
    expect(LISTENER_RULE_PRIORITIES.min).toBeGreaterThan(1000 + 10 * 100);
    expect(LISTENER_RULE_PRIORITIES.max).toBeLessThanOrEqual(50000);
  });
});
