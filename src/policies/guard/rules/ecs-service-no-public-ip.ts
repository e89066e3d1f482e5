import { block, isTrue, resources } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_SERVICE_NO_PUBLIC_IP: GuardRule = {
  id: "ECS_SERVICE_NO_PUBLIC_IP",
  severity: "error",
  rationale: "Tasks run in private subnets and are reached only through the load balancer.",
  check(stack) {
    return resources(stack, "aws_ecs_service")
      .filter((s) => isTrue(block(s.block.network_configuration)?.assign_public_ip))
      .map((s) => ({
        address: s.address,
        message:
          "tasks get public IPs; set network_configuration.assign_public_ip = false (private subnets + NAT/endpoints)",
      }));
  },
};
