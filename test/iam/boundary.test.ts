import { describe, expect, it } from "vitest";
import { decide } from "../../src/iam/simulate";
import { exampleConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";

/*
 * The platform boundary holds on its own: a role created under it cannot escalate, even if its
 * own policies were as broad as `*` on `*` (a mistake, or a hostile change that got through).
 * Every role the platform creates carries it.
 */

const ACCOUNT = "111111111111";
const iam = platformIam(exampleConfig());
const boundaryRef = iam.app
  .allResources("aws_iam_policy")
  .find(
    (p) =>
      iam.app.attribute(p, "name") === "acme-shop-platform-boundary" &&
      iam.app.placement(p).accountId === ACCOUNT,
  );
const boundary = boundaryRef ? iam.app.policy(boundaryRef, "policy") : undefined;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundaries/acme-shop-platform-boundary`;
const ADMIN = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const ROGUE = `arn:aws:iam::${ACCOUNT}:role/acme-shop-staging-api-task`;

const asBoundedAdmin = (
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
) =>
  decide({
    principal: ROGUE,
    action,
    resource,
    resourceAccount: ACCOUNT,
    region: "eu-west-1",
    identityPolicies: [ADMIN],
    boundary,
    context,
  });

describe("platform permissions boundary", () => {
  it("exists in the bootstrap stack of every account, outside the project's policy names", () => {
    expect(boundary).toBeDefined();
    expect(boundaryRef?.stack).toBe("github-oidc");
    expect(BOUNDARY).not.toMatch(/:policy\/acme-shop-/);
  });

  it("is on every role the platform creates, in every stack", () => {
    const unbounded = [...iam.roles.values()]
      .filter((r) => !r.boundaryArn?.endsWith(":policy/boundaries/acme-shop-platform-boundary"))
      .map((r) => `${r.ref.stack} ${r.name}`);
    expect(unbounded).toEqual([]);
  });

  describe("a role under it with an admin policy still cannot escalate", () => {
    it.each([
      ["iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/acme-shop-escape`, {}],
      [
        "iam:CreateRole",
        `arn:aws:iam::${ACCOUNT}:role/acme-shop-escape`,
        { "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/open` },
      ],
      // Writing its own policies cannot lift a role above the boundary (the cases below stay
      // denied whatever it writes); writing another role's is denied unless it is bounded too.
      [
        "iam:PutRolePolicy",
        `arn:aws:iam::${ACCOUNT}:role/acme-shop-github-infra-plan`,
        { "iam:PermissionsBoundary": BOUNDARY },
      ],
      ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/acme-shop-legacy`, {}],
      [
        "iam:AttachRolePolicy",
        ROGUE,
        {
          "iam:PermissionsBoundary": BOUNDARY,
          "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess",
        },
      ],
      ["iam:DeleteRolePermissionsBoundary", ROGUE, { "iam:PermissionsBoundary": BOUNDARY }],
      ["iam:CreatePolicyVersion", BOUNDARY, {}],
      ["iam:SetDefaultPolicyVersion", BOUNDARY, {}],
      [
        "iam:CreatePolicyVersion",
        `arn:aws:iam::${ACCOUNT}:policy/acme-shop-github-infra-apply-iam`,
        {},
      ],
      [
        "iam:UpdateAssumeRolePolicy",
        `arn:aws:iam::${ACCOUNT}:role/acme-shop-github-infra-apply`,
        { "iam:PermissionsBoundary": BOUNDARY },
      ],
      [
        "iam:PassRole",
        `arn:aws:iam::${ACCOUNT}:role/acme-shop-github-infra-apply`,
        { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
      ],
      [
        "iam:PassRole",
        `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`,
        { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
      ],
      [
        "iam:PassRole",
        `arn:aws:iam::${ACCOUNT}:role/acme-shop-staging-api-task`,
        { "iam:PassedToService": "ec2.amazonaws.com" },
      ],
      ["iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/backdoor`, {}],
      ["iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/admin`, {}],
      ["iam:CreateLoginProfile", `arn:aws:iam::${ACCOUNT}:user/admin`, {}],
      ["iam:AttachUserPolicy", `arn:aws:iam::${ACCOUNT}:user/admin`, {}],
      ["iam:AddUserToGroup", `arn:aws:iam::${ACCOUNT}:group/admins`, {}],
      [
        "iam:CreateRole",
        `arn:aws:iam::${ACCOUNT}:role/not-the-platform`,
        { "iam:PermissionsBoundary": BOUNDARY },
      ],
      ["organizations:LeaveOrganization", "*", {}],
    ])("%s on %s is denied", async (action, resource, context) => {
      expect(await asBoundedAdmin(action, resource, context as Record<string, string>)).not.toBe(
        "Allowed",
      );
    });

    it("while the work a platform role exists for is untouched by the boundary", async () => {
      expect(await asBoundedAdmin("s3:PutObject", "arn:aws:s3:::acme-shop-assets/x")).toBe(
        "Allowed",
      );
      expect(await asBoundedAdmin("sqs:SendMessage", `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`)).toBe(
        "Allowed",
      );
      expect(
        await asBoundedAdmin("iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/acme-shop-new`, {
          "iam:PermissionsBoundary": BOUNDARY,
        }),
      ).toBe("Allowed");
    });
  });
});
