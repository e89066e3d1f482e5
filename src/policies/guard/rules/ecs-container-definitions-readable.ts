import { taskDefinitions } from "../ecs";
import type { GuardRule } from "../types";

export const ECS_CONTAINER_DEFINITIONS_READABLE: GuardRule = {
  id: "ECS_CONTAINER_DEFINITIONS_READABLE",
  severity: "error",
  rationale: "Container definitions must be plain JSON so the container rules can check them.",
  check(stack) {
    return taskDefinitions(stack)
      .filter((t) => t.problem)
      .map((t) => ({ address: t.address, message: `container_definitions ${t.problem}` }));
  },
};
