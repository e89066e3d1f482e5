import { taskDefinitions } from "../ecs";
import type { GuardRule } from "../types";

const MODES = ["network_mode", "pid_mode", "ipc_mode"] as const;

export const ECS_TASK_NO_HOST_NAMESPACES: GuardRule = {
  id: "ECS_TASK_NO_HOST_NAMESPACES",
  severity: "error",
  rationale: "Sharing the host's network, process or IPC namespace breaks task isolation.",
  check(stack) {
    return taskDefinitions(stack).flatMap((t) =>
      MODES.filter((m) => t.block[m] === "host").map((m) => ({
        address: t.address,
        message: `${m} is "host"; use ${m === "network_mode" ? '"awsvpc"' : "the task namespace (leave it unset)"}`,
      })),
    );
  },
};
