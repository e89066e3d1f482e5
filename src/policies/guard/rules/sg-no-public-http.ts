import { ingressRules, isAllProtocols } from "../security-groups";
import type { GuardRule } from "../types";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);

export const SG_NO_PUBLIC_HTTP: GuardRule = {
  id: "SG_NO_PUBLIC_HTTP",
  severity: "error",
  rationale:
    "Plain HTTP (port 80) is not reachable from the internet; where it is (a load balancer's redirect to HTTPS), the reason is recorded.",
  check(stack) {
    return ingressRules(stack)
      .filter((r) => r.cidrs.some((c) => ANYWHERE.has(c)))
      .filter(
        (r) =>
          isAllProtocols(r.protocol) ||
          (r.fromPort !== undefined &&
            r.toPort !== undefined &&
            r.fromPort <= 80 &&
            80 <= r.toPort),
      )
      .map((r) => ({
        address: r.address,
        message: `port 80 open to ${r.cidrs.filter((c) => ANYWHERE.has(c)).join(", ")}; serve HTTPS only, or restrict the source`,
      }));
  },
};
