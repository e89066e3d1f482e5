import { blocks, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_CLUSTER_CONTAINER_INSIGHTS: GuardRule = {
  id: "ECS_CLUSTER_CONTAINER_INSIGHTS",
  severity: "error",
  rationale:
    "Container Insights gives per-task CPU, memory and restart metrics for alarms and debugging.",
  check(stack) {
    return resources(stack, "aws_ecs_cluster")
      .filter(
        (c) =>
          !blocks(c.block.setting).some(
            (s) =>
              s.name === "containerInsights" && ["enabled", "enhanced"].includes(String(s.value)),
          ),
      )
      .map((c) => ({
        address: c.address,
        message:
          'Container Insights is off; add setting { name = "containerInsights", value = "enabled" }',
      }));
  },
};
