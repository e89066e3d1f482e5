import { ingressRules, isAllProtocols, loadBalancerSecurityGroups } from "../security-groups";
import type { GuardRule } from "../types";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const WEB_PORTS = new Set([80, 443]);

export const SG_NO_PUBLIC_INGRESS: GuardRule = {
  id: "SG_NO_PUBLIC_INGRESS",
  severity: "error",
  rationale:
    "Only the load balancer's HTTP/HTTPS ports are open to the internet; everything else is private.",
  check(stack) {
    const albGroups = loadBalancerSecurityGroups(stack);
    return ingressRules(stack)
      .filter((r) => r.cidrs.some((c) => ANYWHERE.has(c)))
      .filter((r) => {
        const webPort =
          !isAllProtocols(r.protocol) &&
          r.fromPort !== undefined &&
          r.fromPort === r.toPort &&
          WEB_PORTS.has(r.fromPort);
        return !(webPort && r.securityGroup !== undefined && albGroups.has(r.securityGroup));
      })
      .map((r) => ({
        address: r.address,
        message:
          `ingress from ${r.cidrs.filter((c) => ANYWHERE.has(c)).join(", ")} on ` +
          `${r.fromPort ?? "?"}-${r.toPort ?? "?"}/${r.protocol}; only a load balancer's security group ` +
          "may take 80/443 from anywhere: restrict the source to a CIDR or security group",
      }));
  },
};
