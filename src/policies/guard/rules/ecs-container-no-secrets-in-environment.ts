import { containerName, taskDefinitions } from "../ecs";
import { credentialIn, SECRET_ENV_NAME } from "../secrets";
import { blocks } from "../terraform";
import type { GuardRule } from "../types";

export const ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT: GuardRule = {
  id: "ECS_CONTAINER_NO_SECRETS_IN_ENVIRONMENT",
  severity: "error",
  rationale:
    "Plain environment variables show in the console and API; secrets come from Secrets Manager.",
  check(stack) {
    return taskDefinitions(stack).flatMap((t) =>
      (t.containers ?? []).flatMap((c) =>
        blocks(c.environment).flatMap((e) => {
          const name = String(e.name ?? "");
          const value = String(e.value ?? "");
          const credential = credentialIn(value);
          if (!SECRET_ENV_NAME.test(name) && !credential) return [];
          return [
            {
              address: t.address,
              message:
                `container ${containerName(c)} sets ${name} in "environment"` +
                (credential ? ` to what looks like ${credential}` : "") +
                '; move it to "secrets" (valueFrom a Secrets Manager secret)',
            },
          ];
        }),
      ),
    );
  },
};
