import { containerName, taskDefinitions } from "../ecs";
import type { GuardRule } from "../types";

function isRoot(user: unknown): boolean {
  if (typeof user !== "string" || user.trim() === "") return true;
  const name = user.split(":")[0].trim();
  return name === "root" || name === "0";
}

export const ECS_CONTAINER_NON_ROOT_USER: GuardRule = {
  id: "ECS_CONTAINER_NON_ROOT_USER",
  severity: "error",
  rationale: "Containers run as an unprivileged user, not as the image's default root.",
  check(stack) {
    return taskDefinitions(stack).flatMap((t) =>
      (t.containers ?? [])
        .filter((c) => isRoot(c.user))
        .map((c) => ({
          address: t.address,
          message:
            `container ${containerName(c)} runs as ${c.user === undefined ? "the image default (usually root)" : `"${String(c.user)}"`}; ` +
            'set "user" to a non-root uid:gid such as "1000:1000"',
        })),
    );
  },
};
