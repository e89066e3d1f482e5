import { refersTo, resources } from "../terraform";
import type { GuardRule } from "../types";

export const SECRETS_ROTATION: GuardRule = {
  id: "SECRETS_ROTATION",
  severity: "error",
  rationale:
    "A secret rotates on a schedule (aws_secretsmanager_secret_rotation), or the report says who rotates it and how.",
  check(stack) {
    const rotations = resources(stack, "aws_secretsmanager_secret_rotation");
    return resources(stack, "aws_secretsmanager_secret")
      .filter((s) => !rotations.some((r) => refersTo(r.block.secret_id, s.address)))
      .map((s) => ({
        address: s.address,
        message:
          "secret without automatic rotation; add aws_secretsmanager_secret_rotation, or record who rotates it",
      }));
  },
};
