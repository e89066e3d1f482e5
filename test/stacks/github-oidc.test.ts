import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { describe, expect, it } from "vitest";
import { boundaryIn } from "../../src/stacks/github-oidc-stack";
import { exampleConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";
import { resourceAddresses, resourcesOf, synthApp } from "../helpers/synth";
import { variedConfig } from "../helpers/varied-config";

/*
 * The GitHub OIDC stacks, one per platform account, and what their roles let GitHub Actions do,
 * evaluated as AWS evaluates it (@cloud-copilot/iam-simulate): who may assume each role, and what
 * each may and may not do.
 */

const TOOLING = "111111111111";
const PROD = "222222222222";
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/acme-shop-${name}`;
const PUBLISHER = role(TOOLING, "github-image-publisher");
const plan = (account: string) => role(account, "github-infra-plan");
const apply = (account: string) => role(account, "github-infra-apply");

const INFRA = "repo:acme-shop/shop-infra";
const APP = "repo:acme-shop/shop-app";

describe("GitHub OIDC stacks", () => {
  const app = synthApp(exampleConfig());
  const iam = platformIam(exampleConfig());

  it("are one stack per platform account, each with one provider and no other stack's state", () => {
    expect(app.stacks["github-oidc"].provider?.aws).toEqual([
      expect.objectContaining({ allowed_account_ids: [TOOLING], region: "eu-west-1" }),
    ]);
    expect(app.stacks[`github-oidc-${PROD}`].provider?.aws).toEqual([
      expect.objectContaining({ allowed_account_ids: [PROD], region: "eu-west-1" }),
    ]);
    for (const id of ["github-oidc", `github-oidc-${PROD}`]) {
      expect(app.stacks[id].data?.terraform_remote_state, id).toBeUndefined();
      expect(app.dependencies[id], id).toEqual([]);
    }
  });

  it("create the GitHub OIDC provider in each account, audience STS only", () => {
    for (const id of ["github-oidc", `github-oidc-${PROD}`]) {
      expect(app.text[id]).toHaveResourceWithProperties(IamOpenidConnectProvider, {
        url: "https://token.actions.githubusercontent.com",
        client_id_list: ["sts.amazonaws.com"],
      });
    }
  });

  it("create plan and apply roles in both accounts and the publisher in tooling only", () => {
    expect([...iam.roles.keys()].filter((arn) => arn.includes("-github-")).sort()).toEqual(
      [PUBLISHER, apply(TOOLING), plan(TOOLING), apply(PROD), plan(PROD)].sort(),
    );
  });

  describe("who may assume which role (trust policies as AWS evaluates them)", () => {
    const ALL = [PUBLISHER, plan(TOOLING), plan(PROD), apply(TOOLING), apply(PROD)];
    const holders = async (sub: string, aud?: string) => {
      const allowed: string[] = [];
      for (const arn of ALL) if (await iam.assumeWithToken(arn, { sub, aud })) allowed.push(arn);
      return allowed;
    };

    it("the app repository's deploy branch gets the publisher only", async () => {
      expect(await holders(`${APP}:ref:refs/heads/main`)).toEqual([PUBLISHER]);
    });

    it("infra pull requests (also from forks: same sub) and the apply branch get the plan roles only", async () => {
      expect(await holders(`${INFRA}:pull_request`)).toEqual([plan(TOOLING), plan(PROD)]);
      expect(await holders(`${INFRA}:ref:refs/heads/main`)).toEqual([plan(TOOLING), plan(PROD)]);
    });

    it("only jobs of the apply environment get the apply roles, in every account", async () => {
      expect(await holders(`${INFRA}:environment:production`)).toEqual([
        apply(TOOLING),
        apply(PROD),
      ]);
    });

    it.each([
      ["another repository of the owner", "repo:acme-shop/other-repo:ref:refs/heads/main"],
      ["a same-named repository of another owner", "repo:evil/shop-app:ref:refs/heads/main"],
      ["a look-alike owner", "repo:acme-shop-evil/shop-infra:environment:production"],
      ["a look-alike repository", "repo:acme-shop/shop-infra2:environment:production"],
      ["another branch of the app repository", `${APP}:ref:refs/heads/feature`],
      ["a tag of the app repository", `${APP}:ref:refs/tags/v1`],
      ["a pull request of the app repository", `${APP}:pull_request`],
      ["another branch of the infra repository", `${INFRA}:ref:refs/heads/dev`],
      ["the staging environment's jobs", `${INFRA}:environment:staging`],
      ["an unmanaged infra environment", `${INFRA}:environment:sandbox`],
      ["a wildcard-looking subject", `${INFRA}:environment:*`],
      ["an empty subject", ""],
    ])("%s gets no role", async (_, sub) => {
      expect(await holders(sub)).toEqual([]);
    });

    it("a token minted for another audience gets no role, even with a trusted subject", async () => {
      expect(
        await holders(`${INFRA}:environment:production`, "https://github.com/acme-shop"),
      ).toEqual([]);
      expect(await holders(`${APP}:ref:refs/heads/main`, "")).toEqual([]);
    });

    it("uses the immutable subject format when configured (a re-created repository is not trusted)", async () => {
      // The varied config: subjectFormat immutable, owner id 1001, app repository id 2002.
      const immutable = platformIam(variedConfig());
      const sub = "repo:acme-shop@1001/shop-app@2002:ref:refs/heads/main";
      expect(await immutable.assumeWithToken(PUBLISHER, { sub })).toBe(true);
      expect(
        await immutable.assumeWithToken(PUBLISHER, { sub: `${APP}:ref:refs/heads/main` }),
      ).toBe(false);
      expect(
        await immutable.assumeWithToken(PUBLISHER, {
          sub: "repo:acme-shop@1001/shop-app@9999:ref:refs/heads/main",
        }),
      ).toBe(false);
    });
  });

  describe("the image publisher", () => {
    const repo = (name: string) => `arn:aws:ecr:eu-west-1:${TOOLING}:repository/${name}`;

    it("may push to this platform's repositories and nothing else", async () => {
      for (const action of ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:CompleteLayerUpload"]) {
        expect(await iam.can(PUBLISHER, action, repo("acme-shop/api"))).toBe("Allowed");
        expect(await iam.can(PUBLISHER, action, repo("acme-shop/web"))).toBe("Allowed");
        expect(await iam.can(PUBLISHER, action, repo("other-team/api"))).not.toBe("Allowed");
        expect(await iam.can(PUBLISHER, action, repo("acme-shop-evil/api"))).not.toBe("Allowed");
      }
      expect(await iam.can(PUBLISHER, "ecr:DeleteRepository", repo("acme-shop/api"))).not.toBe(
        "Allowed",
      );
      expect(await iam.can(PUBLISHER, "ecr:SetRepositoryPolicy", repo("acme-shop/api"))).not.toBe(
        "Allowed",
      );
      expect(await iam.can(PUBLISHER, "ecr:GetAuthorizationToken", "*")).toBe("Allowed");
    });

    it("may not start or approve pipelines (the push event starts them)", async () => {
      const pipeline = `arn:aws:codepipeline:eu-west-1:${TOOLING}:acme-shop-api-delivery`;
      expect(await iam.can(PUBLISHER, "codepipeline:StartPipelineExecution", pipeline)).not.toBe(
        "Allowed",
      );
      expect(
        await iam.can(PUBLISHER, "codepipeline:PutApprovalResult", `${pipeline}/Approval/Approve`),
      ).not.toBe("Allowed");
    });

    it("uses the ECR key only through ECR, and only the key carrying the ECR alias", async () => {
      const key = `arn:aws:kms:eu-west-1:${TOOLING}:key/k`;
      const keyPolicy = {
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${TOOLING}:root` },
            Action: "kms:*",
            Resource: "*",
          },
        ],
      };
      const use = (via: string, alias: string) =>
        iam.can(PUBLISHER, "kms:GenerateDataKey", key, {
          resourcePolicy: keyPolicy,
          context: { "kms:ViaService": via, "kms:ResourceAliases": [alias] },
        });
      expect(await use("ecr.eu-west-1.amazonaws.com", "alias/acme-shop-ecr")).toBe("Allowed");
      expect(await use("s3.eu-west-1.amazonaws.com", "alias/acme-shop-ecr")).not.toBe("Allowed");
      expect(await use("ecr.eu-west-1.amazonaws.com", "alias/acme-shop-tfstate")).not.toBe(
        "Allowed",
      );
    });
  });

  it("never uses inline_policy or managed_policy_arns on a role", () => {
    for (const id of ["github-oidc", `github-oidc-${PROD}`]) {
      for (const r of Object.values(resourcesOf(app.stacks[id], "aws_iam_role"))) {
        expect(r.inline_policy).toBeUndefined();
        expect(r.managed_policy_arns).toBeUndefined();
      }
    }
  });

  it("attaches managed policies, each within IAM's 6,144-character limit", () => {
    for (const id of ["github-oidc", `github-oidc-${PROD}`]) {
      for (const policy of Object.values(resourcesOf(app.stacks[id], "aws_iam_policy"))) {
        expect((policy.policy as string).replace(/\s/g, "").length).toBeLessThanOrEqual(6144);
      }
    }
  });

  it("applies a configured permissions boundary to every role, in each account", () => {
    // The varied config: permissionsBoundaryArn arn:aws:iam::<tooling>:policy/ci/github-boundary.
    const bounded = platformIam(variedConfig());
    const github = [...bounded.roles.values()].filter((r) => r.name.includes("-github-"));
    expect(github).toHaveLength(5);
    for (const r of github) {
      expect(r.boundaryArn).toBe(`arn:aws:iam::${r.accountId}:policy/ci/github-boundary`);
    }
    expect(boundaryIn("arn:aws:iam::aws:policy/PowerUserAccess", PROD)).toBe(
      "arn:aws:iam::aws:policy/PowerUserAccess",
    );
  });

  it("keep their resource addresses stable", () => {
    expect(resourceAddresses(app.stacks["github-oidc"])).toMatchSnapshot();
    expect(resourceAddresses(app.stacks[`github-oidc-${PROD}`])).toMatchSnapshot();
  });
});
