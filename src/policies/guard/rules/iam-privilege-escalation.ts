import { wildcardRegExp } from "../iam-catalog";
import { conditionsOn, stackPolicies, type Statement } from "../policies";
import type { GuardRule, Violation } from "../types";

/*
 * IAM privilege escalation, from the published list of methods (Rhino Security Labs, "AWS IAM
 * Privilege Escalation - Methods and Mitigation", methods 1-13 and the boundary variants; the
 * PassRole methods are IAM_PASSROLE_PASSED_TO_SERVICE's). An identity policy that allows one of
 * these writes lets its holder grant itself (or a role it can use) more than it has, unless a
 * condition AWS evaluates on the request pins what may be granted.
 */

/** Role writes that AWS evaluates with the role's boundary (`iam:PermissionsBoundary`). */
const ROLE_WRITES = [
  "iam:CreateRole",
  "iam:PutRolePolicy",
  "iam:AttachRolePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
];

/** Writes that grant through a policy's content: no condition key names who holds the policy. */
const POLICY_VERSION_WRITES = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"];

/** User and group methods: the platform never needs them; nothing may allow them unbounded. */
const USER_WRITES = [
  "iam:CreateUser",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:AttachUserPolicy",
  "iam:PutUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:PutGroupPolicy",
  "iam:AddUserToGroup",
  "iam:PutUserPermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
];

function allowsAny(statement: Statement, actions: readonly string[]): string[] {
  return actions.filter((action) => statement.actions.some((a) => wildcardRegExp(a).test(action)));
}

function pinned(statement: Statement, key: string): boolean {
  return conditionsOn(statement, key).some((c) => !c.operator.includes("Not"));
}

/** A Deny in the same document that covers `action` on IAM policies (a holder's own, at least). */
function deniedOnPolicies(statements: readonly Statement[], action: string): boolean {
  return statements.some(
    (s) =>
      s.effect === "Deny" &&
      (s.actions.some((a) => wildcardRegExp(a).test(action)) ||
        (s.notActions.length > 0 && !s.notActions.some((a) => wildcardRegExp(a).test(action)))) &&
      s.resources.some((r) => r.includes(":policy/")),
  );
}

export const IAM_PRIVILEGE_ESCALATION: GuardRule = {
  id: "IAM_PRIVILEGE_ESCALATION",
  severity: "error",
  rationale:
    "IAM writes that can grant more than the holder has (published escalation methods) need a permissions-boundary or policy-ARN condition, or, for policy versions, a deny on the holder's own policies.",
  check(stack) {
    const out: Violation[] = [];
    for (const doc of stackPolicies(stack).documents) {
      if (doc.kind !== "identity") continue;
      for (const s of doc.statements) {
        if (s.effect !== "Allow") continue;
        const problems: string[] = [];
        const roleWrites = allowsAny(s, ROLE_WRITES);
        if (roleWrites.length && !pinned(s, "iam:PermissionsBoundary")) {
          problems.push(`${roleWrites.join(", ")} without an iam:PermissionsBoundary condition`);
        }
        if (allowsAny(s, ["iam:AttachRolePolicy"]).length && !pinned(s, "iam:PolicyARN")) {
          problems.push("iam:AttachRolePolicy without an iam:PolicyARN condition");
        }
        for (const action of allowsAny(s, POLICY_VERSION_WRITES)) {
          const unscoped = s.resources.some((r) => r === "*" || /:policy\/\*$/.test(r));
          if (unscoped || !deniedOnPolicies(doc.statements, action)) {
            problems.push(
              `${action} ${unscoped ? "on every policy" : "with no deny on the holder's own policies in the same document"}`,
            );
          }
        }
        const userWrites = allowsAny(s, USER_WRITES);
        if (userWrites.length && !pinned(s, "iam:PermissionsBoundary")) {
          problems.push(`${userWrites.join(", ")} (user and group escalation methods)`);
        }
        if (problems.length === 0) continue;
        out.push({
          address: doc.address,
          message:
            `${doc.attribute}: statement ${s.sid ?? "(no Sid)"} allows ${problems.join("; ")}: ` +
            "its holder could grant itself more (published IAM escalation methods); pin the boundary and the attachable policies, and deny writes to the holder's own policies",
        });
      }
    }
    return out;
  },
};
