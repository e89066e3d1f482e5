import { containerName, taskDefinitions } from "../ecs";
import { isTrue } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_CONTAINER_READONLY_ROOT: GuardRule = {
  id: "ECS_CONTAINER_READONLY_ROOT",
  severity: "error",
  rationale:
    "A read-only root filesystem stops an intruder from changing the container's binaries.",
  check(stack) {
    return taskDefinitions(stack).flatMap((t) =>
      (t.containers ?? [])
        .filter((c) => !isTrue(c.readonlyRootFilesystem))
        .map((c) => ({
          address: t.address,
          message:
            `container ${containerName(c)} has a writable root filesystem; set ` +
            '"readonlyRootFilesystem": true and mount a volume for paths it must write (e.g. /tmp)',
        })),
    );
  },
};
