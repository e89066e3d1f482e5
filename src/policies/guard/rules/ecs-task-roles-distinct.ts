import { taskDefinitions } from "../ecs";
import { isSet } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_TASK_ROLES_DISTINCT: GuardRule = {
  id: "ECS_TASK_ROLES_DISTINCT",
  severity: "error",
  rationale:
    "The execution role (pull image, read secrets) and the app's task role must not be one role.",
  check(stack) {
    return taskDefinitions(stack)
      .filter(
        (t) => isSet(t.block.task_role_arn) && t.block.task_role_arn === t.block.execution_role_arn,
      )
      .map((t) => ({
        address: t.address,
        message:
          "task_role_arn and execution_role_arn are the same role; give the application its own task role",
      }));
  },
};
