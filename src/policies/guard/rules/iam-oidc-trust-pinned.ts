import { conditionsOn, stackPolicies, type Statement } from "../policies";
import { references, resources } from "../terraform";
import type { GuardRule, Violation } from "../types";

const GITHUB = "token.actions.githubusercontent.com";

function problems(s: Statement): string[] {
  const out: string[] = [];
  const aud = conditionsOn(s, `${GITHUB}:aud`);
  if (
    !aud.some(
      (c) =>
        c.operator === "StringEquals" &&
        c.values.length > 0 &&
        c.values.every((v) => v === "sts.amazonaws.com"),
    )
  ) {
    out.push(`pin ${GITHUB}:aud with StringEquals "sts.amazonaws.com"`);
  }
  const sub = conditionsOn(s, `${GITHUB}:sub`).filter((c) => !c.operator.includes("Not"));
  if (sub.length === 0) {
    out.push(
      `add a ${GITHUB}:sub condition naming repo:OWNER/REPO:ref:refs/heads/BRANCH or :environment:NAME`,
    );
  } else if (sub.some((c) => c.values.some((v) => v.includes("*") || v.includes("?")))) {
    out.push(
      `${GITHUB}:sub must not contain wildcards (a wildcard lets other repositories, branches or events assume the role); list exact subjects`,
    );
  }
  return out;
}

export const IAM_OIDC_TRUST_PINNED: GuardRule = {
  id: "IAM_OIDC_TRUST_PINNED",
  severity: "error",
  rationale:
    "A GitHub OIDC role trusts exactly the intended repository and ref, never all of GitHub.",
  check(stack) {
    const out: Violation[] = [];
    // The principal is usually a reference to the provider resource, not a literal ARN.
    const githubProviders = new Set(
      resources(stack, "aws_iam_openid_connect_provider")
        .filter((p) => String(p.block.url ?? "").includes(GITHUB))
        .map((p) => p.address),
    );
    const isGithub = (value: string) =>
      value.includes(GITHUB) || [...references(value)].some((a) => githubProviders.has(a));
    for (const doc of stackPolicies(stack).documents) {
      if (doc.kind !== "trust") continue;
      for (const s of doc.statements) {
        const github = s.principals.some((p) => p.type === "Federated" && p.values.some(isGithub));
        if (s.effect !== "Allow" || !github) continue;
        for (const problem of problems(s)) {
          out.push({
            address: doc.address,
            message: `trust policy statement ${s.sid ?? "(no Sid)"}: ${problem}`,
          });
        }
      }
    }
    return out;
  },
};
