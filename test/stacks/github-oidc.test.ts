import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { describe, expect, it } from "vitest";
import { boundaryIn } from "../../src/stacks/github-oidc-stack";
import { exampleConfig } from "../helpers/config";
import { resourceAddresses, resourcesOf, synthApp, type StackJson } from "../helpers/synth";

interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

const SUB = "token.actions.githubusercontent.com:sub";
const AUD = "token.actions.githubusercontent.com:aud";

/** Roles by name and account (the provider alias tells the account). */
function roles(json: StackJson): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.values(resourcesOf(json, "aws_iam_role")).map((r) => [
      `${String(r.name)}@${r.provider === "aws" ? "111111111111" : String(r.provider).replace("aws.acct-", "")}`,
      r,
    ]),
  );
}

function trust(role: Record<string, unknown>): Statement[] {
  return (JSON.parse(role.assume_role_policy as string) as { Statement: Statement[] }).Statement;
}

/** Every statement of every policy attached (inline or managed) to a role construct path. */
function statementsOf(json: StackJson, constructPrefix: string): Statement[] {
  const path = (r: Record<string, unknown>) =>
    (r["//"] as { metadata: { path: string } }).metadata.path;
  return [
    ...Object.values(resourcesOf(json, "aws_iam_role_policy")),
    ...Object.values(resourcesOf(json, "aws_iam_policy")),
  ]
    .filter((r) => path(r).startsWith(`github-oidc/${constructPrefix}/`))
    .flatMap((r) => (JSON.parse(r.policy as string) as { Statement: Statement[] }).Statement);
}

/** Whether any Allow statement grants `action` on a resource matching `resource`. */
function allows(statements: Statement[], action: string, resource: string): boolean {
  const glob = (p: string) =>
    new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      list(s.Action).some((a) => glob(a).test(action)) &&
      list(s.Resource).some((r) => glob(r).test(resource)),
  );
}

describe("github-oidc stack", () => {
  const app = synthApp(exampleConfig());
  const json = app.stacks["github-oidc"];
  const text = app.text["github-oidc"];
  const byName = roles(json);

  it("has one AWS provider per platform account, the tooling account as default", () => {
    expect(json.provider?.aws).toEqual([
      expect.objectContaining({ allowed_account_ids: ["111111111111"], region: "eu-west-1" }),
      expect.objectContaining({
        alias: "acct-222222222222",
        allowed_account_ids: ["222222222222"],
        region: "eu-west-1",
      }),
    ]);
    expect(json.provider?.aws?.[0].alias).toBeUndefined();
  });

  it("creates the GitHub OIDC provider in each account, audience STS only", () => {
    const providers = Object.values(resourcesOf(json, "aws_iam_openid_connect_provider"));
    expect(providers.map((p) => p.provider).sort()).toEqual(["aws", "aws.acct-222222222222"]);
    expect(text).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it("creates plan and apply roles in both accounts and the publisher in tooling only", () => {
    expect(Object.keys(byName).sort()).toEqual([
      "acme-shop-github-image-publisher@111111111111",
      "acme-shop-github-infra-apply@111111111111",
      "acme-shop-github-infra-apply@222222222222",
      "acme-shop-github-infra-plan@111111111111",
      "acme-shop-github-infra-plan@222222222222",
    ]);
    for (const role of Object.values(byName)) expect(role.max_session_duration).toBe(3600);
  });

  it("trusts exact subjects with StringEquals on aud and sub, nothing else", () => {
    const expected: Record<string, string[]> = {
      "acme-shop-github-image-publisher": ["repo:acme-shop/shop-app:ref:refs/heads/main"],
      "acme-shop-github-infra-plan": [
        "repo:acme-shop/shop-infra:pull_request",
        "repo:acme-shop/shop-infra:ref:refs/heads/main",
      ],
      // Only jobs of the apply environment apply, in every account: the bare branch form would
      // skip the reviewers, and another environment's job (staging) could reach the tooling
      // account and, through the pipeline role, production deploys.
      "acme-shop-github-infra-apply": ["repo:acme-shop/shop-infra:environment:production"],
    };
    for (const [key, role] of Object.entries(byName)) {
      const [statement, ...rest] = trust(role);
      expect(rest).toEqual([]);
      expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(statement.Principal).toEqual({
        Federated: expect.stringMatching(
          /^\$\{aws_iam_openid_connect_provider\.oidc-\d{12}_\w+\.arn\}$/,
        ),
      });
      expect(statement.Condition).toEqual({
        StringEquals: {
          [AUD]: "sts.amazonaws.com",
          [SUB]: expected[key] ?? expected[key.split("@")[0]],
        },
      });
    }
    // The trust of each account's roles names that account's provider.
    const applyProd = trust(byName["acme-shop-github-infra-apply@222222222222"])[0];
    expect(applyProd.Principal).toEqual({
      Federated: expect.stringContaining("oidc-222222222222"),
    });
    expect(text).not.toMatch(/StringLike/);
  });

  describe("refuses other callers by the shape of the trust policy", () => {
    const subjectsOf = (name: string) =>
      list(trust(byName[name]).at(0)?.Condition?.StringEquals[SUB] as string[]);
    const allTrusted = Object.keys(byName).flatMap(subjectsOf);

    it.each([
      ["another repository of the owner", "repo:acme-shop/other-repo:ref:refs/heads/main"],
      ["a same-named repository of another owner", "repo:evil/shop-app:ref:refs/heads/main"],
      ["another branch of the app repository", "repo:acme-shop/shop-app:ref:refs/heads/feature"],
      ["a tag of the app repository", "repo:acme-shop/shop-app:ref:refs/tags/v1"],
      ["a pull request of the app repository", "repo:acme-shop/shop-app:pull_request"],
      ["another branch of the infra repository", "repo:acme-shop/shop-infra:ref:refs/heads/dev"],
      ["an unmanaged infra environment", "repo:acme-shop/shop-infra:environment:sandbox"],
    ])("%s", (_, subject) => {
      expect(allTrusted).not.toContain(subject);
    });

    it("the apply branch without a GitHub environment gets only read-only roles", () => {
      const main = "repo:acme-shop/shop-infra:ref:refs/heads/main";
      const holders = Object.keys(byName).filter((n) => subjectsOf(n).includes(main));
      expect(holders.length).toBeGreaterThan(0);
      expect(holders.every((n) => n.startsWith("acme-shop-github-infra-plan@"))).toBe(true);
    });

    it("a job of the staging environment cannot assume any apply role", () => {
      // Staging's GitHub environment usually has no required reviewers. In the production account
      // it would skip production's reviewers; in the tooling account it could edit the pipeline
      // role, which deploys to production.
      const staging = "repo:acme-shop/shop-infra:environment:staging";
      expect(Object.keys(byName).filter((n) => subjectsOf(n).includes(staging))).toEqual([]);
    });

    it("a pull request (also from a fork) gets only the plan role, which cannot change anything", () => {
      // GitHub gives a pull_request workflow run from a fork the same `sub`
      // (repo:<base owner>/<base repo>:pull_request) as one from a branch of the repository, so
      // the trust policy cannot tell them apart. That is safe because the plan role can only
      // read (ReadOnlyAccess) and write Terraform lock files; it cannot read secret values or
      // change state. (GitHub also withholds id-token: write from fork PRs unless the repository
      // opts in, and forks' `pull_request_target` runs are not used by the infra workflows.)
      const pr = "repo:acme-shop/shop-infra:pull_request";
      expect(
        Object.keys(byName)
          .filter((n) => subjectsOf(n).includes(pr))
          .sort(),
      ).toEqual([
        "acme-shop-github-infra-plan@111111111111",
        "acme-shop-github-infra-plan@222222222222",
      ]);
    });
  });

  it("lets the publisher push only to this platform's repositories, KMS only through ECR", () => {
    const statements = statementsOf(json, "publisher");
    const pushResources = statements.find((s) => s.Sid === "PushToPlatformRepositories")?.Resource;
    expect(list(pushResources)).toHaveLength(2);
    for (const arn of list(pushResources)) {
      expect(arn).toMatch(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-ecr\.outputs\.cross-stack-output-aws_ecr_repository(api|web)_\w+arn\}$/,
      );
    }
    const wildcard = statements.filter((s) => list(s.Resource).includes("*"));
    expect(wildcard).toEqual([
      { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    ]);
    expect(statements.find((s) => s.Sid === "UseRepositoryKeyThroughEcr")).toMatchObject({
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Condition: { StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" } },
    });
    expect(
      list(statements.flatMap((s) => list(s.Action))).some((a) => a.startsWith("codepipeline:")),
    ).toBe(false);
  });

  it("the ECR stack's repositories are the ones named in the publisher policy", () => {
    const ecrRepos = Object.keys(resourcesOf(app.stacks.ecr, "aws_ecr_repository")).sort();
    expect(ecrRepos).toEqual([expect.stringMatching(/^api/), expect.stringMatching(/^web/)]);
  });

  describe("plan role", () => {
    it("has ReadOnlyAccess plus state read and lock-file-only writes", () => {
      expect(text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
        policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
      });
      const statements = statementsOf(json, "plan-111111111111");
      const bucket = "arn:aws:s3:::acme-shop-tfstate-111111111111";
      expect(allows(statements, "s3:ListBucket", bucket)).toBe(true);
      expect(
        allows(statements, "s3:GetObject", `${bucket}/acme-shop/network-staging.tfstate`),
      ).toBe(true);
      expect(
        allows(statements, "s3:PutObject", `${bucket}/acme-shop/network-staging.tfstate.tflock`),
      ).toBe(true);
      expect(
        allows(statements, "s3:DeleteObject", `${bucket}/acme-shop/network-staging.tfstate.tflock`),
      ).toBe(true);
      // No write beyond lock files: not the state, not another project's objects.
      expect(
        allows(statements, "s3:PutObject", `${bucket}/acme-shop/network-staging.tfstate`),
      ).toBe(false);
      expect(
        allows(statements, "s3:DeleteObject", `${bucket}/acme-shop/network-staging.tfstate`),
      ).toBe(false);
      expect(allows(statements, "s3:GetObject", `${bucket}/other/x.tfstate`)).toBe(false);
      const writes = statements
        .filter((s) => s.Effect === "Allow")
        .flatMap((s) => list(s.Action))
        .filter(
          (a) => !/^(s3:(ListBucket|GetObject)|kms:(Decrypt|Encrypt|GenerateDataKey))$/.test(a),
        );
      expect(writes.sort()).toEqual(["s3:DeleteObject", "s3:PutObject"]);
    });

    it("uses the state key only by its alias and never reads secret values", () => {
      const statements = statementsOf(json, "plan-222222222222");
      expect(statements.find((s) => s.Sid === "StateKey")).toEqual({
        Sid: "StateKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:eu-west-1:111111111111:key/*",
        Condition: {
          "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/acme-shop-tfstate" },
        },
      });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "secretsmanager:GetSecretValue",
          Resource: "*",
        }),
      );
    });
  });

  describe("apply role", () => {
    const statements = statementsOf(json, "apply-111111111111");

    it("has no Action * and passes roles only to the platform's services", () => {
      expect(statements.flatMap((s) => list(s.Action))).not.toContain("*");
      const passRole = statements.filter((s) => list(s.Action).includes("iam:PassRole"));
      expect(passRole).toEqual([
        {
          Sid: "PassPlatformRoles",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: "arn:aws:iam::111111111111:role/acme-shop-*",
          Condition: {
            StringEquals: {
              "iam:PassedToService": [
                "ecs-tasks.amazonaws.com",
                "codepipeline.amazonaws.com",
                "codebuild.amazonaws.com",
                "vpc-flow-logs.amazonaws.com",
                "events.amazonaws.com",
                "amplify.amazonaws.com",
              ],
            },
          },
        },
      ]);
    });

    it("is scoped to the project's names", () => {
      expect(
        allows(
          statements,
          "iam:CreateRole",
          "arn:aws:iam::111111111111:role/acme-shop-staging-api-task",
        ),
      ).toBe(true);
      expect(allows(statements, "iam:CreateRole", "arn:aws:iam::111111111111:role/admin")).toBe(
        false,
      );
      expect(
        allows(
          statements,
          "ecr:CreateRepository",
          "arn:aws:ecr:eu-west-1:111111111111:repository/acme-shop/api",
        ),
      ).toBe(true);
      expect(
        allows(
          statements,
          "ecr:DeleteRepository",
          "arn:aws:ecr:eu-west-1:111111111111:repository/other/api",
        ),
      ).toBe(false);
      expect(
        allows(statements, "s3:CreateBucket", "arn:aws:s3:::acme-shop-staging-assets-111111111111"),
      ).toBe(true);
      expect(allows(statements, "s3:DeleteBucket", "arn:aws:s3:::someone-elses-bucket")).toBe(
        false,
      );
      expect(
        allows(
          statements,
          "s3:PutObject",
          "arn:aws:s3:::acme-shop-tfstate-111111111111/acme-shop/ecr.tfstate",
        ),
      ).toBe(true);
      expect(
        allows(
          statements,
          "secretsmanager:CreateSecret",
          "arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme-shop/staging/api/DATABASE_URL-AbCdEf",
        ),
      ).toBe(true);
      expect(
        allows(
          statements,
          "secretsmanager:DeleteSecret",
          "arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-db-AbCdEf",
        ),
      ).toBe(false);
    });

    it("keeps requests in the platform's regions and never reads secret values", () => {
      expect(statements).toContainEqual(
        expect.objectContaining({
          Sid: "OnlyPlatformRegions",
          Effect: "Deny",
          Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Action: "secretsmanager:GetSecretValue" }),
      );
    });

    it("may change records, never delete, the configured public zone of its account", () => {
      const prod = statementsOf(json, "apply-222222222222");
      expect(prod.find((s) => s.Sid === "RecordsInPublicZones")?.Resource).toEqual([
        "arn:aws:route53:::hostedzone/Z0PRODUCTIONZONE0001",
      ]);
      expect(prod.find((s) => s.Sid === "KeepPublicZones")).toMatchObject({
        Effect: "Deny",
        Action: "route53:DeleteHostedZone",
        Resource: ["arn:aws:route53:::hostedzone/Z0PRODUCTIONZONE0001"],
      });
    });

    it("may assume only the configured deploy roles, and only the apply role may", () => {
      expect(statements.flatMap((s) => list(s.Action))).not.toContain("sts:AssumeRole");
      const deployRole = "arn:aws:iam::222222222222:role/acme-shop-deploy";
      const withRoles = synthApp(
        exampleConfig((c) => {
          c.environments.production.deployRoleArn = deployRole;
        }),
      ).stacks["github-oidc"];
      const apply = statementsOf(withRoles, "apply-111111111111");
      expect(apply.find((s) => s.Sid === "AssumeDeployRoles")).toEqual({
        Sid: "AssumeDeployRoles",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: [deployRole],
      });
      const plan = statementsOf(withRoles, "plan-111111111111");
      expect(plan.flatMap((s) => list(s.Action))).not.toContain("sts:AssumeRole");
    });

    it("attaches managed policies, each within IAM's 6,144-character limit", () => {
      const managed = Object.values(resourcesOf(json, "aws_iam_policy"));
      expect(managed).toHaveLength(8);
      for (const policy of managed) {
        expect((policy.policy as string).replace(/\s/g, "").length).toBeLessThanOrEqual(6144);
      }
    });
  });

  it("never uses inline_policy or managed_policy_arns on a role", () => {
    for (const role of Object.values(resourcesOf(json, "aws_iam_role"))) {
      expect(role.inline_policy).toBeUndefined();
      expect(role.managed_policy_arns).toBeUndefined();
    }
  });

  it("exposes the role ARNs to other stacks", () => {
    expect(Object.keys(json.output ?? {}).sort()).toHaveLength(5);
    expect(text).toHaveResourceWithProperties(IamRole, {
      name: "acme-shop-github-image-publisher",
    });
  });

  it("applies a configured permissions boundary to every role, in each account", () => {
    const boundary = "arn:aws:iam::111111111111:policy/ci/github-boundary";
    const bounded = synthApp(
      exampleConfig((c) => {
        c.github.permissionsBoundaryArn = boundary;
      }),
    ).stacks["github-oidc"];
    const found = Object.values(roles(bounded)).map((r) => [r.provider, r.permissions_boundary]);
    expect(found).toHaveLength(5);
    for (const [provider, arn] of found) {
      expect(arn).toBe(
        provider === "aws" ? boundary : "arn:aws:iam::222222222222:policy/ci/github-boundary",
      );
    }
    expect(boundaryIn("arn:aws:iam::aws:policy/PowerUserAccess", "222222222222")).toBe(
      "arn:aws:iam::aws:policy/PowerUserAccess",
    );
  });

  it("uses the immutable subject format when configured", () => {
    const immutable = synthApp(
      exampleConfig((c) => {
        c.github.subjectFormat = "immutable";
        c.github.ids = { owner: 1001, appRepository: 2002, infraRepository: 3003 };
      }),
    ).stacks["github-oidc"];
    const publisher = roles(immutable)["acme-shop-github-image-publisher@111111111111"];
    expect(trust(publisher)[0].Condition?.StringEquals[SUB]).toEqual([
      "repo:acme-shop@1001/shop-app@2002:ref:refs/heads/main",
    ]);
    const plan = roles(immutable)["acme-shop-github-infra-plan@222222222222"];
    expect(trust(plan)[0].Condition?.StringEquals[SUB]).toEqual([
      "repo:acme-shop@1001/shop-infra@3003:pull_request",
      "repo:acme-shop@1001/shop-infra@3003:ref:refs/heads/main",
    ]);
  });

  it("keeps its resource addresses stable", () => {
    expect(resourceAddresses(json)).toMatchSnapshot();
  });
});
