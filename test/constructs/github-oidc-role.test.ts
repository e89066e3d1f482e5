import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { GithubOidcProvider } from "../../src/constructs/github-oidc-provider";
import {
  GithubOidcRole,
  githubTrustPolicy,
  subjectProblems,
  type GithubOidcRoleProps,
} from "../../src/constructs/github-oidc-role";
import { policyDocument } from "../../src/policies/document";
import { resourcesOf, type StackJson } from "../helpers/synth";

const PROVIDER_ARN = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
const MAIN = "repo:acme/app:ref:refs/heads/main";

const BASE: GithubOidcRoleProps = {
  roleName: "acme-github-publisher",
  description: "test",
  providerArn: PROVIDER_ARN,
  subjects: [MAIN],
};

function synthRole(
  props: Partial<GithubOidcRoleProps> = {},
  extra?: (role: GithubOidcRole) => void,
): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    const role = new GithubOidcRole(scope, "Role", { ...BASE, ...props });
    extra?.(role);
  });
  return { text, json: JSON.parse(text) as StackJson };
}

interface Statement {
  Effect: string;
  Action: unknown;
  Principal: unknown;
  Condition: Record<string, Record<string, unknown>>;
}

function trustOf(json: StackJson): { Statement: Statement[] } {
  const role = Object.values(resourcesOf(json, "aws_iam_role"))[0];
  return JSON.parse(role.assume_role_policy as string);
}

describe("githubTrustPolicy", () => {
  it("allows only AssumeRoleWithWebIdentity through the provider, aud and sub pinned with StringEquals", () => {
    const doc = githubTrustPolicy(PROVIDER_ARN, [MAIN, "repo:acme/app:pull_request"]);
    expect(doc.Statement).toEqual([
      {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: PROVIDER_ARN },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": [
              "repo:acme/app:pull_request",
              "repo:acme/app:ref:refs/heads/main",
            ],
          },
        },
      },
    ]);
  });
});

describe("subjectProblems", () => {
  it("accepts exact subjects, including the immutable form", () => {
    expect(
      subjectProblems([
        MAIN,
        "repo:acme/infra:pull_request",
        "repo:acme/infra:environment:production",
        "repo:acme@123/infra@456:ref:refs/heads/release/v1",
      ]),
    ).toEqual([]);
  });

  it.each([
    ["repo:acme/*:ref:refs/heads/main", /wildcard/],
    ["repo:*", /wildcard/],
    ["*", /wildcard/],
    ["repo:acme/app:ref:refs/heads/*", /wildcard/],
    ["repo:acme/app:ref:refs/heads/ma?n", /wildcard/],
    ["repo:acme/app", /is not repo:OWNER\/REPO/],
    ["acme/app:ref:refs/heads/main", /is not repo:OWNER\/REPO/],
  ])("refuses %s", (subject, message) => {
    expect(subjectProblems([subject]).join("; ")).toMatch(message);
  });

  it("refuses an empty or repeated list", () => {
    expect(subjectProblems([])).toEqual(["at least one subject is required"]);
    expect(subjectProblems([MAIN, MAIN])).toEqual(["subjects must be unique"]);
  });
});

describe("GithubOidcRole", () => {
  it("synthesizes the exact trust policy, a 1 h session and no boundary by default", () => {
    const { text, json } = synthRole();
    expect(text).toHaveResourceWithProperties(IamRole, {
      name: "acme-github-publisher",
      max_session_duration: 3600,
    });
    const role = Object.values(resourcesOf(json, "aws_iam_role"))[0];
    expect(role.permissions_boundary).toBeUndefined();
    const [statement, ...rest] = trustOf(json).Statement;
    expect(rest).toEqual([]);
    expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(statement.Principal).toEqual({ Federated: PROVIDER_ARN });
    expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
    expect(statement.Condition.StringEquals).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": [MAIN],
    });
    expect(text).not.toMatch(/StringLike/);
  });

  it("never uses the deprecated inline_policy / managed_policy_arns", () => {
    const { json } = synthRole({}, (role) => {
      role.addPolicy(
        "inline",
        policyDocument({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
      );
      role.addManagedPolicy(
        "managed",
        "acme-managed",
        policyDocument({ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::b" }),
      );
      role.attachManagedPolicy("ro", "arn:aws:iam::aws:policy/ReadOnlyAccess");
    });
    const role = Object.values(resourcesOf(json, "aws_iam_role"))[0];
    expect(role.inline_policy).toBeUndefined();
    expect(role.managed_policy_arns).toBeUndefined();
    const text = JSON.stringify(json);
    expect(text).toHaveResourceWithProperties(IamRolePolicy, { name: "inline" });
    expect(text).toHaveResourceWithProperties(IamPolicy, { name: "acme-managed" });
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachment"))).toHaveLength(2);
    expect(text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    });
  });

  it("applies a permissions boundary and a custom session length", () => {
    const boundary = "arn:aws:iam::111111111111:policy/ci-boundary";
    const { text } = synthRole({ permissionsBoundaryArn: boundary, maxSessionDuration: 1800 });
    expect(text).toHaveResourceWithProperties(IamRole, {
      permissions_boundary: boundary,
      max_session_duration: 1800,
    });
  });

  it("refuses wildcard subjects and bad session lengths", () => {
    expect(() => synthRole({ subjects: ["repo:acme/*:ref:refs/heads/main"] })).toThrow(
      /Role: subject "repo:acme\/\*:ref:refs\/heads\/main" contains a wildcard/,
    );
    expect(() => synthRole({ subjects: [] })).toThrow(/at least one subject is required/);
    expect(() => synthRole({ maxSessionDuration: 60 })).toThrow(
      /maxSessionDuration 60 is not valid; use 900-43200/,
    );
  });
});

describe("GithubOidcProvider", () => {
  it("is GitHub's issuer with STS as the only audience and no pinned thumbprint", () => {
    const text = Testing.synthScope((scope) => {
      new GithubOidcProvider(scope, "Oidc");
    });
    expect(text).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    const provider = Object.values(
      resourcesOf(JSON.parse(text) as StackJson, "aws_iam_openid_connect_provider"),
    )[0];
    expect(provider.thumbprint_list).toBeUndefined();
  });
});
