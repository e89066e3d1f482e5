import { containerName, taskDefinitions } from "../ecs";
import { isBlock } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_CONTAINER_LOGGING: GuardRule = {
  id: "ECS_CONTAINER_LOGGING",
  severity: "error",
  rationale: "Container output goes to a log group, or it is lost when the task stops.",
  check(stack) {
    return taskDefinitions(stack).flatMap((t) =>
      (t.containers ?? [])
        .filter((c) => !isBlock(c.logConfiguration) || !c.logConfiguration.logDriver)
        .map((c) => ({
          address: t.address,
          message: `container ${containerName(c)} has no logConfiguration; use the awslogs driver with a log group`,
        })),
    );
  },
};
