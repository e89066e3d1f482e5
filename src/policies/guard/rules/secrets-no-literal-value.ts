import { isExpression, resources } from "../terraform";
import type { GuardRule } from "../types";

export const SECRETS_NO_LITERAL_VALUE: GuardRule = {
  id: "SECRETS_NO_LITERAL_VALUE",
  severity: "error",
  rationale:
    "A secret value written in code ends up in git, the synthesized JSON and the state file.",
  check(stack) {
    return resources(stack, "aws_secretsmanager_secret_version").flatMap((v) =>
      (["secret_string", "secret_binary"] as const)
        .filter(
          (a) => typeof v.block[a] === "string" && v.block[a] !== "" && !isExpression(v.block[a]),
        )
        .map((a) => ({
          address: v.address,
          message: `${a} is a literal value; create only the secret container and set its value out of band (aws secretsmanager put-secret-value), or pass a sensitive variable`,
        })),
    );
  },
};
