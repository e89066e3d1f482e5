import { describe, expect, it } from "vitest";
import { exampleConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";
import { synthOutput } from "../helpers/rehearsal";
import { SHIPPED_CONFIGS } from "../helpers/shipped-configs";
import { REFRESH_READS } from "../policies/refresh-reads";

/*
 * The plan role (assumable from pull requests, forks included) reads configuration, never data.
 * Every resource type any shipped configuration synthesizes must be refreshable with what it
 * allows (REFRESH_READS: the provider's read calls per type), and the data inside the same read
 * families is denied.
 */

// Every shipped configuration (the rehearsal's and the guard's list).
const CONFIGS = SHIPPED_CONFIGS;

const resourceTypes = [
  ...new Set(
    Object.values(CONFIGS).flatMap((make) =>
      Object.values(synthOutput(make()).stacks).flatMap((s) =>
        Object.keys(s.document.resource ?? {}),
      ),
    ),
  ),
].sort();

describe("plan role: configuration reads", () => {
  it("knows how every synthesized resource type is refreshed", () => {
    const unknown = resourceTypes.filter((t) => !(t in REFRESH_READS));
    expect(unknown, "add the type's read calls to test/policies/refresh-reads.ts").toEqual([]);
  });

  const iam = platformIam(
    exampleConfig((c) => {
      c.pipeline.configSource = { type: "s3" } as never;
    }),
  );
  for (const account of ["111111111111", "222222222222"]) {
    const PLAN = `arn:aws:iam::${account}:role/acme-shop-github-infra-plan`;
    const APPLY = `arn:aws:iam::${account}:role/acme-shop-github-infra-apply`;
    const reads = [...new Set(resourceTypes.flatMap((t) => REFRESH_READS[t] ?? []))].filter(
      (a) => a !== "s3:GetObject" && a !== "s3:GetObjectTagging",
    );

    it(`${account}: the plan and apply roles may make every refresh read`, async () => {
      const denied: string[] = [];
      for (const action of reads) {
        for (const role of [PLAN, APPLY]) {
          const decision = await iam.can(role, action, "*", { region: "eu-west-1" });
          if (decision !== "Allowed") denied.push(`${role.split("/")[1]} ${action}: ${decision}`);
        }
      }
      expect(denied).toEqual([]);
    });

    const data: [string, string][] = [
      [
        "s3:GetObject",
        "arn:aws:s3:::acme-shop-pipeline-artifacts-111111111111/acme-shop-api-delivery/BuildArtif/x.zip",
      ],
      ["s3:GetObject", "arn:aws:s3:::customer-exports/2026/12/all.csv"],
      [
        "s3:GetObjectVersion",
        "arn:aws:s3:::acme-shop-tfstate-111111111111/other-project/x.tfstate",
      ],
      [
        "logs:GetLogEvents",
        `arn:aws:logs:eu-west-1:${account}:log-group:/ecs/acme-shop/staging/api:log-stream:api/x`,
      ],
      [
        "logs:FilterLogEvents",
        `arn:aws:logs:eu-west-1:${account}:log-group:/ecs/acme-shop/staging/api`,
      ],
      ["logs:StartQuery", `arn:aws:logs:eu-west-1:${account}:log-group:/ecs/acme-shop/staging/api`],
      [
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:eu-west-1:${account}:secret:acme-shop/staging/api/DATABASE_URL-AbCdEf`,
      ],
      ["ssm:GetParameter", `arn:aws:ssm:eu-west-1:${account}:parameter/db/password`],
      ["sqs:ReceiveMessage", `arn:aws:sqs:eu-west-1:${account}:jobs`],
      ["dynamodb:GetItem", `arn:aws:dynamodb:eu-west-1:${account}:table/orders`],
      ["ecr:BatchGetImage", `arn:aws:ecr:eu-west-1:${account}:repository/acme-shop/api`],
      ["ecr:GetDownloadUrlForLayer", `arn:aws:ecr:eu-west-1:${account}:repository/acme-shop/api`],
      ["codecommit:GetFile", `arn:aws:codecommit:eu-west-1:${account}:acme-shop-deploy-config`],
      ["codecommit:GitPull", `arn:aws:codecommit:eu-west-1:${account}:acme-shop-deploy-config`],
    ];
    it.each(data)(
      `${account}: the plan role may not read data: %s %s`,
      async (action, resource) => {
        const decision = await iam.can(PLAN, action, resource, {
          region: "eu-west-1",
          resourceAccount: account,
        });
        expect(decision).not.toBe("Allowed");
      },
    );

    it(`${account}: reads the state objects and the config seed's metadata, nothing else in S3`, async () => {
      const read = async (resource: string) =>
        (await iam.can(PLAN, "s3:GetObject", resource, {
          region: "eu-west-1",
          resourceAccount: account,
        })) === "Allowed";
      expect(
        await read("arn:aws:s3:::acme-shop-tfstate-111111111111/acme-shop/network-staging.tfstate"),
      ).toBe(true);
      expect(
        await read("arn:aws:s3:::acme-shop-deploy-config-111111111111/deploy-config.zip"),
      ).toBe(true);
      expect(await read("arn:aws:s3:::acme-shop-deploy-config-111111111111/other.zip")).toBe(false);
    });

    it.each([
      [
        "s3:PutObject",
        "arn:aws:s3:::acme-shop-tfstate-111111111111/acme-shop/network-staging.tfstate",
      ],
      [
        "s3:DeleteObject",
        "arn:aws:s3:::acme-shop-tfstate-111111111111/acme-shop/network-staging.tfstate",
      ],
      ["ec2:CreateVpc", `arn:aws:ec2:eu-west-1:${account}:vpc/*`],
      ["iam:CreateRole", `arn:aws:iam::${account}:role/acme-shop-x`],
      ["iam:PassRole", `arn:aws:iam::${account}:role/acme-shop-staging-api-task`],
      ["sts:AssumeRole", `arn:aws:iam::${account}:role/acme-shop-production-api-pipeline-deploy`],
      [
        "ecs:UpdateService",
        `arn:aws:ecs:eu-west-1:${account}:service/acme-shop-staging-cluster/acme-shop-staging-api`,
      ],
      [
        "codepipeline:StartPipelineExecution",
        `arn:aws:codepipeline:eu-west-1:${account}:acme-shop-api-delivery`,
      ],
    ])(`${account}: the plan role changes nothing: %s`, async (action, resource) => {
      expect(
        await iam.can(PLAN, action, resource, { region: "eu-west-1", resourceAccount: account }),
      ).not.toBe("Allowed");
    });

    it(`${account}: writes only lock files next to the state`, async () => {
      const lock =
        "arn:aws:s3:::acme-shop-tfstate-111111111111/acme-shop/network-staging.tfstate.tflock";
      expect(
        await iam.can(PLAN, "s3:PutObject", lock, {
          region: "eu-west-1",
          resourceAccount: account,
        }),
      ).toBe("Allowed");
    });
  }
});
