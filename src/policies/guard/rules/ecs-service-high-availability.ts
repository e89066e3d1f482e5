import { resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_SERVICE_HIGH_AVAILABILITY: GuardRule = {
  id: "ECS_SERVICE_HIGH_AVAILABILITY",
  severity: "error",
  rationale:
    "A service runs at least two tasks across at least two availability zones, so one task or zone failing does not take it down.",
  check(stack) {
    return resources(stack, "aws_ecs_service").flatMap((s) => {
      const problems: string[] = [];
      const desired = s.block.desired_count;
      if (typeof desired === "number" && desired < 2) problems.push(`desired_count ${desired}`);
      const network = (s.block.network_configuration ?? {}) as { subnets?: unknown };
      if (Array.isArray(network.subnets) && network.subnets.length < 2) {
        problems.push(`${network.subnets.length} subnet(s)`);
      }
      return problems.length
        ? [
            {
              address: s.address,
              message: `${problems.join(", ")}: run at least two tasks in subnets of at least two availability zones`,
            },
          ]
        : [];
    });
  },
};
