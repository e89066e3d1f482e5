import { ingressRules, isAllProtocols } from "../security-groups";
import type { GuardRule } from "../types";

export const SG_NO_ALL_PROTOCOL_INGRESS: GuardRule = {
  id: "SG_NO_ALL_PROTOCOL_INGRESS",
  severity: "error",
  rationale: "Ingress names its protocol and ports; an all-protocol rule opens every port.",
  check(stack) {
    return ingressRules(stack)
      .filter((r) => isAllProtocols(r.protocol))
      .map((r) => ({
        address: r.address,
        message:
          'ingress allows every protocol and port ("-1"); allow tcp on the port the target listens on',
      }));
  },
};
