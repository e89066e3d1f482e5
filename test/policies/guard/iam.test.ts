import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { describe, expect, it } from "vitest";
import { policyDocument, renderPolicy } from "../../../src/policies/document";
import { requiresWildcardResource } from "../../../src/policies/guard/rules/iam-no-wildcard-resource";
import { check, flagged, policy, stackOf, synthJson } from "./helpers";

const TRUST = policy({
  Effect: "Allow",
  Principal: { Service: "ecs-tasks.amazonaws.com" },
  Action: "sts:AssumeRole",
});

function rolePolicy(...statements: Record<string, unknown>[]) {
  return stackOf({ aws_iam_role_policy: { p: { role: "r", policy: policy(...statements) } } });
}

describe("IAM_ACTION_EXISTS", () => {
  it("a misspelled action fails with the closest real names", () => {
    const stack = synthJson((scope) => {
      const role = new IamRole(scope, "publisher", { assumeRolePolicy: TRUST });
      new IamRolePolicy(scope, "push", {
        role: role.name,
        policy: renderPolicy(
          policyDocument({
            Effect: "Allow",
            Action: ["ecr:PushImage", "ecr:BatchCheckLayerAvailability"],
            Resource: "arn:aws:ecr:eu-west-1:111111111111:repository/acme/api",
          }),
        ),
      });
    });
    const violations = check("IAM_ACTION_EXISTS", stack);
    expect(violations).toHaveLength(1);
    expect(violations[0].address).toBe("aws_iam_role_policy.push");
    expect(violations[0].message).toMatch(
      /"ecr:PushImage" does not exist; did you mean .*ecr:PutImage/,
    );
  });

  it("wildcards must match at least one action; unknown services are named", () => {
    const stack = rolePolicy(
      { Effect: "Allow", Action: ["ec2:Describe*", "ecr:Get*", "s3:*"], Resource: "*" },
      { Effect: "Allow", Action: ["ecr:Pusch*"], Resource: "*" },
      { Effect: "Allow", Action: ["ecrr:PutImage"], Resource: "*" },
    );
    const messages = check("IAM_ACTION_EXISTS", stack).map((v) => v.message);
    expect(messages).toEqual([
      expect.stringMatching(/"ecr:Pusch\*" matches no action/),
      expect.stringMatching(
        /"ecrr:PutImage" names an unknown service prefix "ecrr"; did you mean .*ecr:PutImage/,
      ),
    ]);
  });

  it("reads trust policies and aws_iam_policy_document data sources too", () => {
    const stack = synthJson((scope) => {
      const doc = new DataAwsIamPolicyDocument(scope, "trust", {
        statement: [
          {
            actions: ["sts:AssumeRoleWithWebIdentiy"],
            principals: [{ type: "Federated", identifiers: ["x"] }],
          },
        ],
      });
      new IamRole(scope, "role", { assumeRolePolicy: doc.json });
      new IamRole(scope, "typo", {
        assumeRolePolicy: policy({
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AsumeRole",
        }),
      });
    });
    expect(check("IAM_ACTION_EXISTS", stack).map((v) => `${v.address}: ${v.message}`)).toEqual([
      expect.stringMatching(
        /^aws_iam_role.typo: assume_role_policy: action "sts:AsumeRole" does not exist; did you mean sts:AssumeRole/,
      ),
      expect.stringMatching(/^data.aws_iam_policy_document.trust: .*sts:AssumeRoleWithWebIdentity/),
    ]);
  });
});

describe("IAM_POLICY_READABLE", () => {
  it("flags jsonencode policies and passes rendered ones", () => {
    const stack = stackOf({
      aws_iam_role_policy: {
        encoded: { policy: '${jsonencode({"Statement" = []})}' },
        rendered: {
          policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }),
        },
      },
    });
    expect(flagged("IAM_POLICY_READABLE", stack)).toEqual(["aws_iam_role_policy.encoded"]);
  });
});

describe("wildcard actions and resources", () => {
  it("IAM_NO_WILDCARD_ACTION: * and Allow+NotAction fire; Deny * does not", () => {
    expect(
      flagged(
        "IAM_NO_WILDCARD_ACTION",
        rolePolicy({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" }),
      ),
    ).toHaveLength(1);
    expect(
      flagged(
        "IAM_NO_WILDCARD_ACTION",
        rolePolicy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
      ),
    ).toHaveLength(1);
    expect(
      flagged("IAM_NO_WILDCARD_ACTION", rolePolicy({ Effect: "Deny", Action: "*", Resource: "*" })),
    ).toEqual([]);
  });

  it("IAM_NO_SERVICE_WILDCARD_ACTION warns on s3:*, not on the key policy's account delegation", () => {
    expect(
      flagged(
        "IAM_NO_SERVICE_WILDCARD_ACTION",
        rolePolicy({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b" }),
      ),
    ).toHaveLength(1);
    const key = stackOf({
      aws_kms_key: {
        k: {
          policy: policy({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111111111111:root" },
            Action: "kms:*",
            Resource: "*",
          }),
        },
      },
    });
    expect(flagged("IAM_NO_SERVICE_WILDCARD_ACTION", key)).toEqual([]);
  });

  it("IAM_NO_WILDCARD_RESOURCE allows * only for actions without resource-level permissions", () => {
    expect(requiresWildcardResource("ecr:GetAuthorizationToken")).toBe(true);
    expect(requiresWildcardResource("ec2:DescribeSubnets")).toBe(true);
    expect(requiresWildcardResource("ecr:PutImage")).toBe(false);
    const ok = rolePolicy({
      Effect: "Allow",
      Action: ["ecr:GetAuthorizationToken", "ec2:DescribeSubnets"],
      Resource: "*",
    });
    const bad = rolePolicy({
      Effect: "Allow",
      Action: ["ecr:GetAuthorizationToken", "ecr:PutImage"],
      Resource: "*",
    });
    expect(flagged("IAM_NO_WILDCARD_RESOURCE", ok)).toEqual([]);
    expect(check("IAM_NO_WILDCARD_RESOURCE", bad).map((v) => v.message)).toEqual([
      expect.stringMatching(/grants ecr:PutImage on Resource "\*"/),
    ]);
  });

  it("IAM_NO_WILDCARD_RESOURCE accepts * scoped by the action's own condition key", () => {
    const cluster = "arn:aws:ecs:eu-west-1:111111111111:cluster/acme";
    const scoped = rolePolicy({
      Effect: "Allow",
      Action: "ecs:ListTasks",
      Resource: "*",
      Condition: { ArnEquals: { "ecs:cluster": cluster } },
    });
    const global = rolePolicy({
      Effect: "Allow",
      Action: "ecs:ListTasks",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
    });
    expect(flagged("IAM_NO_WILDCARD_RESOURCE", scoped)).toEqual([]);
    expect(flagged("IAM_NO_WILDCARD_RESOURCE", global)).toHaveLength(1);
  });

  it("IAM_NO_WILDCARD_RESOURCE ignores resource policies (there * means this resource)", () => {
    const stack = stackOf({
      aws_kms_key: {
        k: {
          policy: policy({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111111111111:root" },
            Action: "kms:Decrypt",
            Resource: "*",
          }),
        },
      },
    });
    expect(flagged("IAM_NO_WILDCARD_RESOURCE", stack)).toEqual([]);
  });
});

describe("IAM_PASSROLE_PASSED_TO_SERVICE", () => {
  const role = "arn:aws:iam::111111111111:role/task";
  it("fires without the condition (also through iam:*), quiet with it", () => {
    expect(
      flagged(
        "IAM_PASSROLE_PASSED_TO_SERVICE",
        rolePolicy({ Effect: "Allow", Action: "iam:PassRole", Resource: role }),
      ),
    ).toHaveLength(1);
    expect(
      flagged(
        "IAM_PASSROLE_PASSED_TO_SERVICE",
        rolePolicy({ Effect: "Allow", Action: "iam:Pass*", Resource: role }),
      ),
    ).toHaveLength(1);
    expect(
      flagged(
        "IAM_PASSROLE_PASSED_TO_SERVICE",
        rolePolicy({
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: role,
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        }),
      ),
    ).toEqual([]);
  });
});

describe("IAM_OIDC_TRUST_PINNED", () => {
  const federated = {
    Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
  };
  const trust = (condition: Record<string, unknown>) =>
    stackOf({
      aws_iam_role: {
        gh: {
          assume_role_policy: policy({
            Effect: "Allow",
            Principal: federated,
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: condition,
          }),
        },
      },
    });
  const aud = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };

  it("quiet with aud pinned and exact subjects", () => {
    const stack = trust({
      StringEquals: {
        ...aud,
        "token.actions.githubusercontent.com:sub": [
          "repo:acme/app:ref:refs/heads/main",
          "repo:acme/app:environment:production",
        ],
      },
    });
    expect(flagged("IAM_OIDC_TRUST_PINNED", stack)).toEqual([]);
  });

  it("fires without aud, without sub, and with a wildcard sub", () => {
    expect(
      check(
        "IAM_OIDC_TRUST_PINNED",
        trust({
          StringEquals: {
            "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main",
          },
        }),
      ).map((v) => v.message),
    ).toEqual([expect.stringMatching(/pin token.actions.githubusercontent.com:aud/)]);
    expect(
      check("IAM_OIDC_TRUST_PINNED", trust({ StringEquals: aud })).map((v) => v.message),
    ).toEqual([expect.stringMatching(/add a token.actions.githubusercontent.com:sub condition/)]);
    expect(
      check(
        "IAM_OIDC_TRUST_PINNED",
        trust({
          StringEquals: aud,
          StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" },
        }),
      ).map((v) => v.message),
    ).toEqual([expect.stringMatching(/must not contain wildcards/)]);
  });
});

describe("IAM_OIDC_TRUST_PINNED with a referenced provider", () => {
  const withProvider = (condition: Record<string, unknown>) =>
    stackOf({
      aws_iam_openid_connect_provider: {
        gh: {
          url: "https://token.actions.githubusercontent.com",
          client_id_list: ["sts.amazonaws.com"],
        },
      },
      aws_iam_role: {
        role: {
          assume_role_policy: policy({
            Effect: "Allow",
            Principal: { Federated: "${aws_iam_openid_connect_provider.gh.arn}" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: condition,
          }),
        },
      },
    });

  it("fires when the provider is referenced and sub is missing", () => {
    const stack = withProvider({
      StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
    });
    expect(check("IAM_OIDC_TRUST_PINNED", stack).map((v) => v.message)).toEqual([
      expect.stringMatching(/add a token.actions.githubusercontent.com:sub condition/),
    ]);
  });

  it("stays quiet when the referenced provider's trust is pinned", () => {
    const stack = withProvider({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main",
      },
    });
    expect(flagged("IAM_OIDC_TRUST_PINNED", stack)).toEqual([]);
  });
});

describe("IAM_ROLE_NO_INLINE_POLICY", () => {
  it("fires on inline_policy and managed_policy_arns", () => {
    const stack = stackOf({
      aws_iam_role: {
        good: { assume_role_policy: TRUST },
        inline: {
          assume_role_policy: TRUST,
          inline_policy: [
            {
              name: "p",
              policy: policy({
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::b/*",
              }),
            },
          ],
        },
        managed: {
          assume_role_policy: TRUST,
          managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        },
      },
    });
    expect(flagged("IAM_ROLE_NO_INLINE_POLICY", stack)).toEqual([
      "aws_iam_role.inline",
      "aws_iam_role.managed",
    ]);
  });
});

describe("IAM_SERVICE_TRUST_SCOPED", () => {
  const role = (trust: string) => stackOf({ aws_iam_role: { r: { assume_role_policy: trust } } });
  const service = (condition?: Record<string, unknown>) =>
    role(
      policy({
        Sid: "Build",
        Effect: "Allow",
        Principal: { Service: "codebuild.amazonaws.com" },
        Action: "sts:AssumeRole",
        ...(condition ? { Condition: condition } : {}),
      }),
    );

  it("flags a service principal any account's resources could make assume the role", () => {
    expect(check("IAM_SERVICE_TRUST_SCOPED", service())).toEqual([
      {
        address: "aws_iam_role.r",
        message: expect.stringMatching(/Build lets codebuild.amazonaws.com assume .*SourceAccount/),
      },
    ]);
    // A negated or empty condition does not scope anything.
    expect(
      flagged(
        "IAM_SERVICE_TRUST_SCOPED",
        service({ StringNotEquals: { "aws:SourceAccount": "111111111111" } }),
      ),
    ).toEqual(["aws_iam_role.r"]);
  });

  it("passes with aws:SourceAccount or aws:SourceArn, and for EC2 and non-service principals", () => {
    expect(
      flagged(
        "IAM_SERVICE_TRUST_SCOPED",
        service({ StringEquals: { "aws:SourceAccount": "111111111111" } }),
      ),
    ).toEqual([]);
    expect(
      flagged(
        "IAM_SERVICE_TRUST_SCOPED",
        service({
          ArnLike: { "aws:SourceArn": "arn:aws:codebuild:eu-west-1:111111111111:project/p" },
        }),
      ),
    ).toEqual([]);
    const ec2 = policy({
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: "sts:AssumeRole",
    });
    const crossAccount = policy({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:role/pipeline" },
      Action: "sts:AssumeRole",
    });
    expect(flagged("IAM_SERVICE_TRUST_SCOPED", role(ec2))).toEqual([]);
    expect(flagged("IAM_SERVICE_TRUST_SCOPED", role(crossAccount))).toEqual([]);
  });
});

describe("IAM_PRIVILEGE_ESCALATION", () => {
  const ROLES = "arn:aws:iam::111111111111:role/acme-*";
  const BOUNDARY = "arn:aws:iam::111111111111:policy/boundaries/acme";

  it("fails role writes without a boundary condition, attachments without a policy-ARN condition", () => {
    const stack = rolePolicy({
      Sid: "Roles",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:AttachRolePolicy"],
      Resource: ROLES,
    });
    expect(check("IAM_PRIVILEGE_ESCALATION", stack).map((v) => v.message)).toEqual([
      expect.stringMatching(
        /iam:CreateRole, iam:AttachRolePolicy without an iam:PermissionsBoundary condition; iam:AttachRolePolicy without an iam:PolicyARN condition/,
      ),
    ]);
  });

  it("fails iam:* and policy versions on every policy, and user methods", () => {
    const stack = rolePolicy(
      { Sid: "Everything", Effect: "Allow", Action: "iam:*", Resource: "*" },
      { Sid: "Keys", Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "*" },
    );
    const messages = check("IAM_PRIVILEGE_ESCALATION", stack).map((v) => v.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/iam:CreatePolicyVersion on every policy/);
    expect(messages[1]).toMatch(/iam:CreateAccessKey \(user and group escalation methods\)/);
  });

  it("fails policy versions on the project's policies when the holder's own are not denied", () => {
    const stack = rolePolicy({
      Sid: "Policies",
      Effect: "Allow",
      Action: "iam:CreatePolicyVersion",
      Resource: "arn:aws:iam::111111111111:policy/acme-*",
    });
    expect(check("IAM_PRIVILEGE_ESCALATION", stack)[0].message).toMatch(
      /no deny on the holder's own policies/,
    );
  });

  it("passes bounded role writes, pinned attachments and policy versions with a deny on CI policies", () => {
    const stack = rolePolicy(
      {
        Sid: "Roles",
        Effect: "Allow",
        Action: ["iam:CreateRole", "iam:PutRolePolicy"],
        Resource: ROLES,
        Condition: { StringEquals: { "iam:PermissionsBoundary": BOUNDARY } },
      },
      {
        Sid: "Attach",
        Effect: "Allow",
        Action: "iam:AttachRolePolicy",
        Resource: ROLES,
        Condition: {
          StringEquals: { "iam:PermissionsBoundary": BOUNDARY },
          ArnLike: { "iam:PolicyARN": "arn:aws:iam::111111111111:policy/acme-*" },
        },
      },
      {
        Sid: "Policies",
        Effect: "Allow",
        Action: "iam:CreatePolicyVersion",
        Resource: "arn:aws:iam::111111111111:policy/acme-*",
      },
      {
        Sid: "NotMine",
        Effect: "Deny",
        NotAction: ["iam:Get*", "iam:List*"],
        Resource: "arn:aws:iam::111111111111:policy/acme-github-*",
      },
    );
    expect(check("IAM_PRIVILEGE_ESCALATION", stack)).toEqual([]);
  });
});

describe("CODEDEPLOY_ROLE_SCOPED", () => {
  const TRUST = policy({
    Effect: "Allow",
    Principal: { Service: "codedeploy.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
  });
  const RULES = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener-rule/app/alb/abc/*";
  const stack = (statement: Record<string, unknown>, attach?: string) =>
    stackOf({
      aws_iam_role: { cd: { assume_role_policy: TRUST } },
      aws_iam_role_policy: {
        p: { role: "${aws_iam_role.cd.id}", policy: policy({ Effect: "Allow", ...statement }) },
      },
      ...(attach
        ? {
            aws_iam_role_policy_attachment: {
              a: { role: "${aws_iam_role.cd.name}", policy_arn: attach },
            },
          }
        : {}),
    });

  it("flags rule changes on every rule of a shared load balancer, and the broad managed policy", () => {
    expect(
      flagged(
        "CODEDEPLOY_ROLE_SCOPED",
        stack({ Action: "elasticloadbalancing:ModifyRule", Resource: RULES }),
      ),
    ).toEqual(["aws_iam_role_policy.p"]);
    expect(
      flagged(
        "CODEDEPLOY_ROLE_SCOPED",
        stack(
          {
            Action: "ecs:DescribeServices",
            Resource: "arn:aws:ecs:eu-west-1:111111111111:service/c/s",
          },
          "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS",
        ),
      ),
    ).toEqual(["aws_iam_role.cd"]);
  });

  it("passes rule changes scoped by a tag condition, or on named rules", () => {
    expect(
      flagged(
        "CODEDEPLOY_ROLE_SCOPED",
        stack({
          Action: "elasticloadbalancing:ModifyRule",
          Resource: RULES,
          Condition: { StringEquals: { "aws:ResourceTag/BlueGreenService": "shop-prod-worker" } },
        }),
      ),
    ).toEqual([]);
    expect(
      flagged(
        "CODEDEPLOY_ROLE_SCOPED",
        stack({ Action: "elasticloadbalancing:ModifyRule", Resource: RULES.replace("*", "l/r") }),
      ),
    ).toEqual([]);
  });
});
