import { block, isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_SERVICE_CIRCUIT_BREAKER: GuardRule = {
  id: "ECS_SERVICE_CIRCUIT_BREAKER",
  severity: "error",
  rationale:
    "A failing deployment stops and rolls back on its own instead of cycling broken tasks.",
  check(stack) {
    return resources(stack, "aws_ecs_service")
      .filter((s) => {
        const controller = block(s.block.deployment_controller)?.type;
        if (controller !== undefined && controller !== "ECS") return false; // CODE_DEPLOY / EXTERNAL
        const cb = block(s.block.deployment_circuit_breaker);
        return !isTrue(cb?.enable) || !isTrue(cb?.rollback);
      })
      .map((s) => ({
        address: s.address,
        message:
          "deployment circuit breaker is off; set deployment_circuit_breaker { enable = true, rollback = true }",
      }));
  },
};
