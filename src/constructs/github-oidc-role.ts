import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, renderPolicy, type PolicyDocument } from "../policies/document";
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from "../policies/github-oidc-token";

/**
 * What a subject must look like: `repo:OWNER/REPO:<context>` or the immutable
 * `repo:OWNER@ID/REPO@ID:<context>`, with no IAM wildcard characters. Under StringEquals `*` and
 * `?` are literal anyway; refusing them here keeps a mistaken "pattern" from looking like it works.
 */
const SUBJECT =
  /^repo:[A-Za-z0-9-]+(?:@\d+)?\/[A-Za-z0-9._-]+(?:@\d+)?:(?:pull_request|ref:refs\/(?:heads|tags)\/[^\s*?]+|environment:[A-Za-z0-9_.-]+)$/;

/** Problems with a list of subjects (empty when every subject is exact). */
export function subjectProblems(subjects: readonly string[]): string[] {
  const problems: string[] = [];
  if (subjects.length === 0) problems.push("at least one subject is required");
  for (const subject of subjects) {
    if (/[*?]/.test(subject)) {
      problems.push(`subject "${subject}" contains a wildcard; name the exact repo and ref`);
    } else if (!SUBJECT.test(subject)) {
      problems.push(
        `subject "${subject}" is not repo:OWNER/REPO:(pull_request|ref:refs/heads/BRANCH|environment:NAME)`,
      );
    }
  }
  if (new Set(subjects).size !== subjects.length) problems.push("subjects must be unique");
  return problems;
}

/**
 * The trust policy of a role GitHub Actions assumes: only `sts:AssumeRoleWithWebIdentity`, only
 * through this account's GitHub OIDC provider, only for tokens minted for STS (`aud`), and only
 * for the exact `sub` values given. Both conditions use StringEquals, never StringLike.
 */
export function githubTrustPolicy(
  providerArn: string,
  subjects: readonly string[],
): PolicyDocument {
  return policyDocument({
    Sid: "GitHubActionsOidc",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: [...subjects].sort(),
      },
    },
  });
}

export interface OidcRoleProps {
  /** Physical role name. */
  readonly roleName: string;
  readonly description: string;
  /** Who may assume it: a web identity trust policy. */
  readonly trust: PolicyDocument;
  /** Seconds. @default 3600 */
  readonly maxSessionDuration?: number;
  /** @default - no permissions boundary */
  readonly permissionsBoundaryArn?: string;
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * An IAM role assumed with an OIDC token (GitHub Actions, HCP Terraform runs). Permissions are
 * added with separate policy resources (`addPolicy`, `addManagedPolicy`, `attachManagedPolicy`),
 * never through the role's deprecated `inline_policy` / `managed_policy_arns`.
 */
export class OidcRole extends Construct {
  readonly role: IamRole;
  private readonly provider?: TerraformProvider;
  private readonly roleName: string;

  constructor(scope: Construct, id: string, props: OidcRoleProps) {
    super(scope, id);
    const maxSessionDuration = props.maxSessionDuration ?? 3600;
    if (
      !Number.isInteger(maxSessionDuration) ||
      maxSessionDuration < 900 ||
      maxSessionDuration > 43200
    ) {
      throw new Error(
        `${this.node.path}: maxSessionDuration ${maxSessionDuration} is not valid; use 900-43200 seconds`,
      );
    }
    this.provider = props.provider;
    this.roleName = props.roleName;
    this.role = new IamRole(this, "Resource", {
      provider: props.provider,
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: renderPolicy(props.trust),
      maxSessionDuration,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
  }

  get arn(): string {
    return this.role.arn;
  }

  /** An inline policy (`aws_iam_role_policy`), for small documents (10,240 characters per role). */
  addPolicy(id: string, document: PolicyDocument): IamRolePolicy {
    return new IamRolePolicy(this, id, {
      provider: this.provider,
      name: id,
      role: this.role.name,
      policy: renderPolicy(document),
    });
  }

  /** A customer managed policy attached to the role, for documents up to 6,144 characters. */
  addManagedPolicy(id: string, policyName: string, document: PolicyDocument): IamPolicy {
    const policy = new IamPolicy(this, id, {
      provider: this.provider,
      name: policyName,
      description: `Attached to ${this.roleName}`,
      policy: renderPolicy(document),
    });
    this.attachManagedPolicy(`${id}Attachment`, policy.arn);
    return policy;
  }

  /** Attaches an existing (e.g. AWS managed) policy. */
  attachManagedPolicy(id: string, policyArn: string): IamRolePolicyAttachment {
    return new IamRolePolicyAttachment(this, id, {
      provider: this.provider,
      role: this.role.name,
      policyArn,
    });
  }
}

export interface GithubOidcRoleProps extends Omit<OidcRoleProps, "trust"> {
  /** ARN of the account's GitHub OIDC provider. */
  readonly providerArn: string;
  /** Exact `sub` claims allowed to assume the role (see `subjectProblems`). */
  readonly subjects: readonly string[];
}

/** A role GitHub Actions assumes through OIDC, trusting exactly the given subjects. */
export class GithubOidcRole extends OidcRole {
  constructor(scope: Construct, id: string, props: GithubOidcRoleProps) {
    const problems = subjectProblems(props.subjects);
    if (problems.length > 0) {
      throw new Error(`${scope.node.path}/${id}: ${problems.join("; ")}`);
    }
    super(scope, id, { ...props, trust: githubTrustPolicy(props.providerArn, props.subjects) });
  }
}
