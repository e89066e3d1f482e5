import { containerName, taskDefinitions } from "../ecs";
import { isTrue } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_CONTAINER_NOT_PRIVILEGED: GuardRule = {
  id: "ECS_CONTAINER_NOT_PRIVILEGED",
  severity: "error",
  rationale: "A privileged container has root on the host.",
  check(stack) {
    return taskDefinitions(stack).flatMap((t) =>
      (t.containers ?? [])
        .filter((c) => isTrue(c.privileged))
        .map((c) => ({
          address: t.address,
          message: `container ${containerName(c)} is privileged; remove "privileged": true`,
        })),
    );
  },
};
