import { describe, expect, it } from "vitest";
import { exampleConfig, hcpRemoteConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";
import { threeByThreeConfig } from "../helpers/three-by-three";
import { SHIPPED_CONFIGS } from "../helpers/shipped-configs";

/*
 * The infra apply role (CI's deploy job), evaluated as AWS evaluates it: its synthesized policies
 * together with its permissions boundary. What it needs to deploy the platform is allowed; every
 * escalation path of the published list (Rhino Security Labs, "AWS IAM Privilege Escalation")
 * and every write outside the platform is denied, in both accounts.
 */

const ACCOUNTS = ["111111111111", "222222222222"];
type Layer = "with its boundary" | "by its own policies alone";

/**
 * The roles CI applies with: the GitHub deploy job's, and with HCP Terraform remote execution the
 * HCP runs' (same permissions, its own trust). Each lists the CI roles and CI policies of its
 * setup, which it must never change.
 */
const SETUPS = [
  {
    name: "GitHub apply role",
    iam: platformIam(exampleConfig()),
    apply: "acme-shop-github-infra-apply",
    // Both layers hold alone: the apply role's own policies (what applies when an organization
    // puts its own boundary on the CI roles, github.permissionsBoundaryArn), and with the
    // platform boundary.
    layers: ["with its boundary", "by its own policies alone"] as Layer[],
    ciRoles: ["acme-shop-github-infra-apply", "acme-shop-github-infra-plan"],
    ciPolicies: ["apply-iam", "apply-compute", "apply-network", "apply-delivery", "read"].map(
      (suffix) => `acme-shop-github-infra-${suffix}`,
    ),
  },
  {
    name: "HCP Terraform apply role (remote execution)",
    iam: platformIam(hcpRemoteConfig()),
    apply: "acme-shop-hcp-apply",
    layers: ["with its boundary"] as Layer[],
    ciRoles: ["acme-shop-hcp-apply", "acme-shop-hcp-plan", "acme-shop-github-infra-plan"],
    ciPolicies: [
      ...["iam", "compute", "network", "delivery"].map((part) => `acme-shop-hcp-apply-${part}`),
      "acme-shop-github-infra-read",
    ],
  },
];

for (const [setup, account, layer] of SETUPS.flatMap((setup) =>
  ACCOUNTS.flatMap((a) => setup.layers.map((l) => [setup, a, l] as const)),
)) {
  const iam = setup.iam;
  const APPLY = `arn:aws:iam::${account}:role/${setup.apply}`;
  const withoutBoundary = layer === "by its own policies alone";
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
  const policy = (name: string) => `arn:aws:iam::${account}:policy/${name}`;
  const BOUNDARY = policy("boundaries/acme-shop-platform-boundary");
  const allowed = async (
    action: string,
    resource: string,
    context: Record<string, string | string[]> = {},
  ) =>
    (await iam.can(APPLY, action, resource, { context, region: "eu-west-1", withoutBoundary })) ===
    "Allowed";
  const withBoundary = (b = BOUNDARY) => ({ "iam:PermissionsBoundary": b });

  describe(`${setup.name} in ${account}, ${layer}`, () => {
    describe("creates and changes the platform's roles, only under the platform boundary", () => {
      it("creates a platform role that carries the boundary", async () => {
        expect(
          await allowed("iam:CreateRole", role("acme-shop-staging-api-task"), withBoundary()),
        ).toBe(true);
        expect(
          await allowed("iam:PutRolePolicy", role("acme-shop-staging-api-task"), withBoundary()),
        ).toBe(true);
      });

      it.each([
        ["without a boundary", {}],
        ["with another boundary", withBoundary(policy("permissive"))],
        [
          "with an AWS managed policy as boundary",
          withBoundary("arn:aws:iam::aws:policy/AdministratorAccess"),
        ],
      ])("refuses a role %s", async (_, context) => {
        expect(await allowed("iam:CreateRole", role("acme-shop-new"), context)).toBe(false);
        expect(
          await allowed("iam:PutRolePolicy", role("acme-shop-staging-api-task"), context),
        ).toBe(false);
      });

      it("refuses roles outside the project's names, even with the boundary", async () => {
        expect(await allowed("iam:CreateRole", role("admin"), withBoundary())).toBe(false);
        expect(await allowed("iam:CreateRole", role("other-acme-shop-x"), withBoundary())).toBe(
          false,
        );
      });

      it("attaches only the platform's own policies (and configured ones), never admin or CI policies", async () => {
        const attach = (policyArn: string) =>
          allowed("iam:AttachRolePolicy", role("acme-shop-staging-api-task"), {
            ...withBoundary(),
            "iam:PolicyARN": policyArn,
          });
        expect(await attach(policy("acme-shop-release-approvers"))).toBe(true);
        expect(await attach("arn:aws:iam::aws:policy/AdministratorAccess")).toBe(false);
        expect(await attach("arn:aws:iam::aws:policy/IAMFullAccess")).toBe(false);
        expect(await attach(policy("acme-shop-github-infra-apply-iam"))).toBe(false);
        expect(await attach(BOUNDARY)).toBe(false);
        expect(await attach(policy("someone-elses-policy"))).toBe(false);
      });
    });

    describe("cannot modify itself, the other CI roles, their policies or the boundary", () => {
      const ciRoles = [
        ...setup.ciRoles,
        ...(account === "111111111111" ? ["acme-shop-github-image-publisher"] : []),
      ];
      it.each(ciRoles)(
        "%s: no policy, trust, boundary or tag change, no PassRole",
        async (name) => {
          const target = role(name);
          for (const action of [
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteRolePermissionsBoundary",
            "iam:DeleteRole",
            "iam:TagRole",
            "iam:PassRole",
          ]) {
            expect(await allowed(action, target, withBoundary()), `${action} ${name}`).toBe(false);
            expect(
              await allowed(action, target, {
                ...withBoundary(),
                "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess",
                "iam:PassedToService": "ecs-tasks.amazonaws.com",
              }),
            ).toBe(false);
          }
        },
      );

      it.each(setup.ciPolicies)(
        "%s: no new version, no default-version switch, no deletion",
        async (name) => {
          const target = policy(name);
          for (const action of [
            "iam:CreatePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:DeletePolicyVersion",
            "iam:DeletePolicy",
          ]) {
            expect(await allowed(action, target), `${action} ${name}`).toBe(false);
          }
        },
      );

      it("the boundary: no new version, no deletion, no removal from any role", async () => {
        for (const action of [
          "iam:CreatePolicyVersion",
          "iam:SetDefaultPolicyVersion",
          "iam:DeletePolicy",
        ]) {
          expect(await allowed(action, BOUNDARY)).toBe(false);
        }
        expect(
          await allowed(
            "iam:DeleteRolePermissionsBoundary",
            role("acme-shop-staging-api-task"),
            withBoundary(),
          ),
        ).toBe(false);
      });

      it("may still change the platform's own (non-CI) managed policies", async () => {
        expect(
          await allowed("iam:CreatePolicyVersion", policy("acme-shop-release-approvers")),
        ).toBe(true);
      });
    });

    describe("passes roles only to the platform's services", () => {
      const task = role("acme-shop-staging-api-task");
      it.each([
        ["ecs-tasks.amazonaws.com", true],
        ["codebuild.amazonaws.com", true],
        ["ec2.amazonaws.com", false],
        ["lambda.amazonaws.com", false],
        ["cloudformation.amazonaws.com", false],
      ])("to %s: %s", async (service, expected) => {
        expect(await allowed("iam:PassRole", task, { "iam:PassedToService": service })).toBe(
          expected,
        );
      });
      it("never a role outside the project", async () => {
        expect(
          await allowed("iam:PassRole", role("OrganizationAccountAccessRole"), {
            "iam:PassedToService": "ecs-tasks.amazonaws.com",
          }),
        ).toBe(false);
      });
    });

    it.each([
      ["iam:CreateUser", `arn:aws:iam::${account}:user/backdoor`],
      ["iam:CreateAccessKey", `arn:aws:iam::${account}:user/admin`],
      ["iam:CreateLoginProfile", `arn:aws:iam::${account}:user/admin`],
      ["iam:UpdateLoginProfile", `arn:aws:iam::${account}:user/admin`],
      ["iam:AttachUserPolicy", `arn:aws:iam::${account}:user/admin`],
      ["iam:PutUserPolicy", `arn:aws:iam::${account}:user/admin`],
      ["iam:AddUserToGroup", `arn:aws:iam::${account}:group/admins`],
      ["iam:PutGroupPolicy", `arn:aws:iam::${account}:group/admins`],
      ["iam:CreateOpenIDConnectProvider", `arn:aws:iam::${account}:oidc-provider/evil.example.com`],
      [
        "iam:UpdateOpenIDConnectProviderThumbprint",
        `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`,
      ],
    ])("refuses %s (no users, groups, keys or identity providers)", async (action, resource) => {
      expect(await allowed(action, resource, withBoundary())).toBe(false);
    });

    describe("stays inside what the platform owns", () => {
      it("log groups by prefix, not by substring", async () => {
        const group = (name: string) => `arn:aws:logs:eu-west-1:${account}:log-group:${name}`;
        expect(await allowed("logs:DeleteLogGroup", group("/ecs/acme-shop/staging/api"))).toBe(
          true,
        );
        expect(await allowed("logs:DeleteLogGroup", group("acme-shop-staging-vpc-flow-logs"))).toBe(
          true,
        );
        expect(await allowed("logs:DeleteLogGroup", group("/aws/lambda/not-acme-shop-app"))).toBe(
          false,
        );
        expect(await allowed("logs:DeleteLogGroup", group("/ecs/other/acme-shop"))).toBe(false);
        expect(await allowed("logs:DeleteLogGroup", group("audit-acme-shop-trail"))).toBe(false);
      });

      it("never deletes a hosted zone", async () => {
        expect(
          await allowed(
            "route53:DeleteHostedZone",
            "arn:aws:route53:::hostedzone/Z0STAGINGZONE000001",
          ),
        ).toBe(false);
        expect(
          await allowed("route53:DeleteHostedZone", "arn:aws:route53:::hostedzone/ZFOREIGN"),
        ).toBe(false);
      });

      it.each([
        ["s3:DeleteBucket", "arn:aws:s3:::someone-elses-bucket"],
        ["s3:PutBucketPolicy", "arn:aws:s3:::acmeshop-lookalike"],
        ["ecr:DeleteRepository", `arn:aws:ecr:eu-west-1:${account}:repository/other/api`],
        [
          "secretsmanager:DeleteSecret",
          `arn:aws:secretsmanager:eu-west-1:${account}:secret:prod-db-AbCdEf`,
        ],
        ["ecs:DeleteCluster", `arn:aws:ecs:eu-west-1:${account}:cluster/payments`],
        ["sns:DeleteTopic", `arn:aws:sns:eu-west-1:${account}:security-alerts`],
        ["events:DeleteRule", `arn:aws:events:eu-west-1:${account}:rule/guardduty-findings`],
        ["kms:ScheduleKeyDeletion", `arn:aws:kms:eu-west-1:${account}:key/foreign`],
        ["kms:PutKeyPolicy", `arn:aws:kms:eu-west-1:${account}:key/foreign`],
      ])("refuses %s on a foreign resource of the same type", async (action, resource) => {
        // A foreign key with the default key policy lets IAM decide, as for any other resource.
        const defaultKeyPolicy = {
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${account}:root` },
              Action: "kms:*",
              Resource: "*",
            },
          ],
        };
        const decision = await iam.can(APPLY, action, resource, {
          region: "eu-west-1",
          withoutBoundary,
          ...(action.startsWith("kms:") ? { resourcePolicy: defaultKeyPolicy } : {}),
        });
        expect(decision).not.toBe("Allowed");
      });

      it("tags new keys only with the platform's tags", async () => {
        const key = `arn:aws:kms:eu-west-1:${account}:key/new`;
        const tags = { "aws:RequestTag/Project": "acme-shop", "aws:TagKeys": ["Project", "Stack"] };
        expect(await allowed("kms:CreateKey", "*", tags)).toBe(true);
        expect(
          await allowed("kms:CreateKey", "*", { ...tags, "aws:RequestTag/Project": "other" }),
        ).toBe(false);
        expect(
          await allowed("kms:TagResource", key, {
            ...tags,
            "aws:TagKeys": ["Project", "AccessLevel"],
          }),
        ).toBe(false);
      });

      it("keeps every regional request in the platform's regions", async () => {
        const bucketLike = `arn:aws:ecs:us-east-2:${account}:cluster/acme-shop-staging-cluster`;
        expect(
          await iam.can(APPLY, "ecs:DeleteCluster", bucketLike, { region: "us-east-2" }),
        ).not.toBe("Allowed");
        expect(
          await iam.can(APPLY, "ecs:DeleteCluster", bucketLike.replace("us-east-2", "eu-west-1"), {
            region: "eu-west-1",
          }),
        ).toBe("Allowed");
      });

      it("never reads secret values or log events", async () => {
        expect(
          await allowed(
            "secretsmanager:GetSecretValue",
            `arn:aws:secretsmanager:eu-west-1:${account}:secret:acme-shop/staging/api/DATABASE_URL-AbCdEf`,
          ),
        ).toBe(false);
        expect(
          await allowed(
            "logs:GetLogEvents",
            `arn:aws:logs:eu-west-1:${account}:log-group:/ecs/acme-shop/staging/api:log-stream:x`,
          ),
        ).toBe(false);
      });
    });
  });
}

describe("apply role with configured task role policies", () => {
  it("may attach exactly the configured AWS managed policy to platform roles", async () => {
    const big = platformIam(threeByThreeConfig());
    const apply = "arn:aws:iam::111111111111:role/acme-shop-github-infra-apply";
    const attach = async (policyArn: string) =>
      (await big.can(
        apply,
        "iam:AttachRolePolicy",
        "arn:aws:iam::111111111111:role/acme-shop-qa-worker-task",
        {
          context: {
            "iam:PermissionsBoundary":
              "arn:aws:iam::111111111111:policy/boundaries/acme-shop-platform-boundary",
            "iam:PolicyARN": policyArn,
          },
        },
      )) === "Allowed";
    expect(await attach("arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess")).toBe(true);
    expect(await attach("arn:aws:iam::aws:policy/AmazonSQSFullAccess")).toBe(false);
  });
});

describe("apply role with an S3 config source", () => {
  // The pipeline stack seeds the bucket's object once; afterwards the operator's uploads are the
  // config, so CI may write that one object and no other object of the platform or anyone else.
  const s3 = platformIam(SHIPPED_CONFIGS["S3 config source"]());
  const apply = "arn:aws:iam::111111111111:role/acme-shop-github-infra-apply";
  const put = async (object: string) =>
    (await s3.can(apply, "s3:PutObject", `arn:aws:s3:::${object}`, { region: "eu-west-1" })) ===
    "Allowed";

  it("writes the seed object", async () => {
    expect(await put("acme-shop-deploy-config-111111111111/deploy-config.zip")).toBe(true);
  });

  it.each([
    ["another key of the config bucket", "acme-shop-deploy-config-111111111111/tests/api/smoke.sh"],
    ["another platform bucket", "acme-shop-staging-alb-logs-111111111111/x"],
    ["a bucket outside the platform", "someone-elses-bucket/deploy-config.zip"],
  ])("writes no object in %s", async (_, object) => {
    expect(await put(object)).toBe(false);
  });
});
