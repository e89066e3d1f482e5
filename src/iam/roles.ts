import {
  addressOf,
  statementsOf,
  type PolicyJson,
  type ResolvedApp,
  type ResourceRef,
} from "../synth/resolve";

/*
 * Every IAM role of the synthesized platform as AWS will hold it: its ARN, trust policy,
 * permission policies (inline, and customer managed ones attached by reference) and boundary,
 * with every reference resolved. AWS managed policies cannot be read offline: they are listed by
 * ARN so that a check can say what it could not evaluate.
 */

export interface RoleModel {
  readonly ref: ResourceRef;
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly trust: PolicyJson;
  /** Inline and customer managed policies, resolved. */
  readonly policies: readonly { readonly name: string; readonly document: PolicyJson }[];
  /** AWS managed (or otherwise unreadable) policy ARNs attached to the role. */
  readonly externalPolicyArns: readonly string[];
  readonly boundaryArn?: string;
}

/** Whether `value` (a name, ARN or `${...}` reference) names `role`. */
function namesRole(app: ResolvedApp, stack: string, value: unknown, role: ResourceRef): boolean {
  if (typeof value !== "string") return false;
  const match = /^\$\{([^{}]+)\}$/.exec(value);
  if (match) {
    const target = app.target(stack, match[1])?.ref;
    return (
      target !== undefined && addressOf(target) === addressOf(role) && target.stack === role.stack
    );
  }
  return value === role.config.name || value.endsWith(`:role/${String(role.config.name)}`);
}

/** Every role of every stack, by ARN. */
export function platformRoles(app: ResolvedApp): Map<string, RoleModel> {
  const roles = new Map<string, RoleModel>();
  for (const ref of app.allResources("aws_iam_role")) {
    const arn = app.attribute(ref, "arn");
    const inline = app
      .resources(ref.stack, "aws_iam_role_policy")
      .filter((p) => namesRole(app, p.stack, p.config.role, ref))
      .map((p) => ({ name: String(p.config.name ?? p.name), document: app.policy(p, "policy") }));
    const attached = app
      .resources(ref.stack, "aws_iam_role_policy_attachment")
      .filter((a) => namesRole(app, a.stack, a.config.role, ref));
    const managed: { name: string; document: PolicyJson | undefined }[] = [];
    const external: string[] = [];
    for (const attachment of attached) {
      const policyArn = attachment.config.policy_arn;
      const match = typeof policyArn === "string" ? /^\$\{([^{}]+)\}$/.exec(policyArn) : null;
      const policy = match ? app.target(attachment.stack, match[1])?.ref : undefined;
      if (policy?.type === "aws_iam_policy") {
        managed.push({ name: String(policy.config.name), document: app.policy(policy, "policy") });
      } else {
        external.push(String(policyArn));
      }
    }
    const boundary = ref.config.permissions_boundary;
    roles.set(arn, {
      ref,
      arn,
      name: String(ref.config.name),
      accountId: app.placement(ref).accountId,
      trust: app.policy(ref, "assume_role_policy") ?? { Statement: [] },
      policies: [...inline, ...managed]
        .filter((p): p is { name: string; document: PolicyJson } => p.document !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name)),
      externalPolicyArns: external.sort(),
      ...(typeof boundary === "string" ? { boundaryArn: app.resolve(ref.stack, boundary) } : {}),
    });
  }
  return roles;
}

/** The AWS principal ARNs (roles and users, not accounts or services) a policy names. */
export function namedPrincipalArns(policy: PolicyJson | undefined): string[] {
  const arns: string[] = [];
  for (const statement of statementsOf(policy)) {
    const principal = statement.Principal;
    if (!principal || typeof principal !== "object") continue;
    const aws = (principal as { AWS?: string | string[] }).AWS;
    for (const arn of aws === undefined ? [] : [aws].flat()) {
      if (/^arn:aws[\w-]*:iam::\d{12}:(role|user)\//.test(arn)) arns.push(arn);
    }
  }
  return [...new Set(arns)].sort();
}

/** Federated principals (OIDC provider ARNs) a policy names. */
export function federatedPrincipals(policy: PolicyJson | undefined): string[] {
  return statementsOf(policy).flatMap((s) => {
    const federated = (s.Principal as { Federated?: string | string[] } | undefined)?.Federated;
    return federated === undefined ? [] : [federated].flat();
  });
}
