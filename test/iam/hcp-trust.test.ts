import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { describe, expect, it } from "vitest";
import { hcpRemoteConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";
import { synthApp } from "../helpers/synth";

/*
 * HCP Terraform dynamic credentials with remote execution, evaluated as AWS evaluates the trust
 * policies: a run's workload identity token (issuer app.terraform.io, audience
 * aws.workload.identity, sub organization:<org>:project:<project>:workspace:<ws>:run_phase:<phase>)
 * gets exactly the role of its phase in the account its stack deploys to, and nothing else does.
 */

const TOOLING = "111111111111";
const PROD = "222222222222";
const HOST = "app.terraform.io";
const AUD = "aws.workload.identity";
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/acme-shop-${name}`;
const HCP_ROLES = [TOOLING, PROD].flatMap((a) => [role(a, "hcp-plan"), role(a, "hcp-apply")]);
const sub = (workspace: string, phase: string, org = "acme", project = "acme-shop") =>
  `organization:${org}:project:${project}:workspace:${workspace}:run_phase:${phase}`;

describe("HCP Terraform run roles (remote execution)", () => {
  const iam = platformIam(hcpRemoteConfig());
  const holders = async (claims: { sub: string; aud?: string; host?: string }) => {
    const allowed: string[] = [];
    for (const arn of [...iam.roles.keys()]) {
      if (await iam.assumeWithToken(arn, { host: HOST, aud: AUD, ...claims })) allowed.push(arn);
    }
    return allowed.sort();
  };

  it("exist in every account, with the HCP provider (audience aws.workload.identity only), and replace the GitHub apply roles", () => {
    const app = synthApp(hcpRemoteConfig());
    for (const id of ["github-oidc", `github-oidc-${PROD}`]) {
      expect(app.text[id]).toHaveResourceWithProperties(IamOpenidConnectProvider, {
        url: `https://${HOST}`,
        client_id_list: [AUD],
      });
    }
    const names = [...iam.roles.keys()];
    for (const arn of HCP_ROLES) expect(names).toContain(arn);
    expect(names.filter((arn) => arn.endsWith("-github-infra-apply"))).toEqual([]);
  });

  it.each([
    ["ecr", TOOLING],
    ["pipeline", TOOLING],
    ["network-staging", TOOLING],
    ["services-production", PROD],
    ["pipeline-access-production", PROD],
  ])(
    "the %s workspace plans and applies with the roles of account %s only",
    async (stack, account) => {
      expect(await holders({ sub: sub(`acme-shop-${stack}`, "plan") })).toEqual([
        role(account, "hcp-plan"),
      ]);
      expect(await holders({ sub: sub(`acme-shop-${stack}`, "apply") })).toEqual([
        role(account, "hcp-apply"),
      ]);
    },
  );

  it.each([
    ["another organization", sub("acme-shop-ecr", "apply", "evil")],
    ["another project", sub("acme-shop-ecr", "apply", "acme", "sandbox")],
    ["the Default Project", sub("acme-shop-ecr", "apply", "acme", "Default Project")],
    ["a workspace named like a platform one", sub("acme-shop-ecr-copy", "apply")],
    ["a workspace of another stack prefix", sub("shop-ecr", "apply")],
    ["the workspaces stack's own workspace", sub("acme-shop-hcp-workspaces", "apply")],
    ["the bootstrap stack that creates these roles", sub("acme-shop-github-oidc", "apply")],
    ["the GitHub repositories stack", sub("acme-shop-github-repos", "apply")],
    ["a made-up run phase", sub("acme-shop-ecr", "destroy")],
    ["a wildcard-looking subject", sub("acme-shop-*", "apply")],
  ])("%s gets no role at all", async (_, subject) => {
    expect(await holders({ sub: subject })).toEqual([]);
  });

  it("a token for another audience, or from another issuer with the same subject, gets nothing", async () => {
    expect(await holders({ sub: sub("acme-shop-ecr", "apply"), aud: "sts.amazonaws.com" })).toEqual(
      [],
    );
    expect(
      await holders({
        sub: sub("acme-shop-ecr", "apply"),
        host: "token.actions.githubusercontent.com",
      }),
    ).toEqual([]);
    expect(await holders({ sub: sub("acme-shop-ecr", "apply"), host: "tfe.example.com" })).toEqual(
      [],
    );
  });

  it("a plan-phase token never reaches an apply role, in any account", async () => {
    for (const stack of ["ecr", "network-production", "pipeline"]) {
      const roles = await holders({ sub: sub(`acme-shop-${stack}`, "plan") });
      expect(roles.filter((arn) => arn.endsWith("-hcp-apply"))).toEqual([]);
    }
  });

  it("GitHub's apply environment gets no HCP role (GitHub keeps only the plan roles)", async () => {
    const github = await holders({
      host: "token.actions.githubusercontent.com",
      aud: "sts.amazonaws.com",
      sub: "repo:acme-shop/shop-infra:environment:production",
    });
    expect(github).toEqual([]);
  });

  it("the plan role reads configuration but writes nothing and reads no secret value", async () => {
    const plan = role(PROD, "hcp-plan");
    const decide = (action: string, resource: string) =>
      iam.can(plan, action, resource, { region: "eu-west-1" });
    expect(await decide("ec2:DescribeVpcs", "*")).toBe("Allowed");
    expect(await decide("ecs:DescribeServices", `arn:aws:ecs:eu-west-1:${PROD}:service/x/y`)).toBe(
      "Allowed",
    );
    expect(await decide("ec2:CreateVpc", `arn:aws:ec2:eu-west-1:${PROD}:vpc/*`)).not.toBe(
      "Allowed",
    );
    expect(
      await decide(
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:eu-west-1:${PROD}:secret:acme-shop/production/api/DATABASE_URL-abc`,
      ),
    ).not.toBe("Allowed");
    expect(
      await decide("iam:PassRole", `arn:aws:iam::${PROD}:role/acme-shop-production-api-task`),
    ).not.toBe("Allowed");
  });
});
