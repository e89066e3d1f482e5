import { isPublicPrincipal, stackPolicies } from "../policies";
import type { GuardRule } from "../types";

export const RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL: GuardRule = {
  id: "RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL",
  severity: "error",
  rationale:
    "A resource policy (bucket, topic, repository, secret) that allows `*` without a condition makes the resource public.",
  check(stack) {
    return stackPolicies(stack)
      .documents.filter(
        (d) =>
          d.kind === "resource" &&
          d.resourceType !== "aws_kms_key" &&
          d.resourceType !== "aws_kms_key_policy",
      )
      .flatMap((d) =>
        d.statements
          .filter((s) => s.effect === "Allow" && isPublicPrincipal(s) && s.conditions.length === 0)
          .map((s) => ({
            address: d.address,
            message:
              `statement ${s.sid ?? "(no Sid)"} allows principal "*" without a condition; name the ` +
              "principals or add a condition (aws:SourceArn, aws:PrincipalOrgID, ...)",
          })),
      );
  },
};
