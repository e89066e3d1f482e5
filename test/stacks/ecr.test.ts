import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { EcrStack, pullAccounts, pullRoleArns } from "../../src/stacks/ecr-stack";
import { exampleConfig } from "../helpers/config";
import { expiredImages, type Image } from "../helpers/ecr-lifecycle";
import { resourceAddresses, resourcesOf, synthApp, type StackJson } from "../helpers/synth";

const app = synthApp(exampleConfig());
const ecr = app.stacks.ecr;

function keyStatements(stack: StackJson): Record<string, unknown>[] {
  const key = Object.values(resourcesOf(stack, "aws_kms_key"))[0];
  return JSON.parse(key.policy as string).Statement;
}

describe("ecr stack", () => {
  it("names exactly the execution roles the services stacks create", () => {
    const roles = Object.values(resourcesOf(app.stacks["services-production"], "aws_iam_role"))
      .map((r) => String(r.name))
      .filter((n) => n.endsWith("-execution"))
      .map((n) => `arn:aws:iam::222222222222:role/${n}`)
      .sort();
    expect(roles).toHaveLength(2);
    expect(
      [...pullRoleArns(exampleConfig(), "api"), ...pullRoleArns(exampleConfig(), "web")].sort(),
    ).toEqual(roles);
  });

  it("lives in the tooling account (the first promotion environment's by default)", () => {
    expect(ecr.provider?.aws?.[0]).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: ["111111111111"],
    });
  });

  it("has one scanned, KMS-encrypted, protected repository per service", () => {
    for (const name of ["acme-shop/api", "acme-shop/web"]) {
      expect(app.text.ecr).toHaveResourceWithProperties(EcrRepository, {
        name,
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [
          { encryption_type: "KMS", kms_key: expect.stringMatching(/aws_kms_key\..*\.arn/) },
        ],
        image_tag_mutability: "MUTABLE",
        force_delete: false,
        lifecycle: { prevent_destroy: true },
      });
    }
    expect(Object.keys(resourcesOf(ecr, "aws_ecr_repository"))).toHaveLength(2);
  });

  it("protects the pipeline's source tag in the lifecycle policy", () => {
    const policy = JSON.parse(
      Object.values(resourcesOf(ecr, "aws_ecr_lifecycle_policy"))[0].policy as string,
    );
    expect(policy.rules[1].selection.tagPrefixList).toEqual(["release"]);
  });

  it("keeps deployed images per environment, production first, before the sha- rule", () => {
    for (const lifecycle of Object.values(resourcesOf(ecr, "aws_ecr_lifecycle_policy"))) {
      const keep = (priority: number, prefix: string, count: number, description: string) => ({
        rulePriority: priority,
        description,
        selection: {
          tagStatus: "tagged",
          tagPrefixList: [prefix],
          countType: "imageCountMoreThan",
          countNumber: count,
        },
        action: { type: "expire" },
      });
      expect(JSON.parse(lifecycle.policy as string)).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: "Expire untagged images 7 days after push",
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: 7,
            },
            action: { type: "expire" },
          },
          keep(2, "release", 10000, "Never expire images tagged release"),
          keep(
            3,
            "deployed-production--",
            100,
            "Keep the newest 100 images tagged deployed-production--",
          ),
          keep(
            4,
            "deployed-staging--",
            100,
            "Keep the newest 100 images tagged deployed-staging--",
          ),
          keep(5, "sha-", 100, "Keep the newest 100 images tagged sha-"),
          keep(6, "candidate--", 100, "Keep the newest 100 images tagged candidate--"),
        ],
      });
    }
  });

  describe("what the lifecycle policy expires (ECR's evaluation rules)", () => {
    const policy = () =>
      Object.values(resourcesOf(ecr, "aws_ecr_lifecycle_policy"))[0].policy as string;
    const push = (n: number, tags: (n: number) => string[]): Image[] =>
      Array.from({ length: n }, (_, i) => ({ digest: `d${i}`, tags: tags(i), pushedDay: i }));

    it("keeps what production runs and the release image, however many pushes came after", () => {
      const images = [
        ...push(300, (i) => [`sha-${i}`, `candidate--e${i}`]),
        {
          digest: "running",
          tags: ["sha-old", "candidate--e-old", "deployed-staging--a", "deployed-production--b"],
          pushedDay: -1,
        },
        { digest: "next", tags: ["release", "sha-new"], pushedDay: -2 },
      ];
      const expired = expiredImages(policy(), images, 400);
      expect(expired.has("running")).toBe(false);
      expect(expired.has("next")).toBe(false);
      // The sha- rule keeps the newest 100 commits; scanning an image does not keep it longer.
      expect(expired.size).toBe(200);
      expect(expired.has("d199")).toBe(true);
      expect(expired.has("d200")).toBe(false);
    });

    it("expires images that carry only scan tags, past the newest 100, instead of never", () => {
      const images = push(150, (i) => [`candidate--e${i}`]);
      const expired = expiredImages(policy(), images, 200);
      expect([...expired].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `d${i}`).sort());
    });

    it("expires untagged images after 7 days", () => {
      const expired = expiredImages(
        policy(),
        [
          { digest: "old", tags: [], pushedDay: 0 },
          { digest: "new", tags: [], pushedDay: 5 },
        ],
        10,
      );
      expect([...expired]).toEqual(["old"]);
    });
  });

  it("lets only each service's production execution role pull, not the whole account", () => {
    expect(pullAccounts(exampleConfig())).toEqual(["222222222222"]);
    const policies = Object.values(resourcesOf(ecr, "aws_ecr_repository_policy"));
    expect(policies).toHaveLength(2);
    for (const service of ["api", "web"]) {
      const policy = policies.find((p) => String(p.repository).includes(`.${service}_`));
      expect(JSON.parse(policy?.policy as string).Statement).toEqual([
        {
          Sid: "PullByPlatformRoles",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
          Action: [
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchCheckLayerAvailability",
          ],
          Condition: {
            ArnEquals: {
              "aws:PrincipalArn": [
                `arn:aws:iam::222222222222:role/acme-shop-production-${service}-execution`,
              ],
            },
          },
        },
      ]);
    }
    expect(keyStatements(ecr)).toContainEqual(
      expect.objectContaining({
        Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Condition: {
          StringEquals: { "kms:ViaService": "ecr.eu-west-1.amazonaws.com" },
          ArnEquals: {
            "aws:PrincipalArn": [
              "arn:aws:iam::222222222222:role/acme-shop-production-api-execution",
              "arn:aws:iam::222222222222:role/acme-shop-production-web-execution",
            ],
          },
        },
      }),
    );
  });

  it("grants no cross-account access when every environment shares the tooling account", () => {
    const single = synthApp(
      exampleConfig((input) => void (input.environments.production.accountId = "111111111111")),
    );
    expect(resourcesOf(single.stacks.ecr, "aws_ecr_repository_policy")).toEqual({});
    // Every principal the key trusts is of the tooling account itself.
    const principals = keyStatements(single.stacks.ecr).flatMap((s) =>
      [(s.Principal as { AWS?: string | string[] } | undefined)?.AWS ?? []].flat(),
    );
    expect(principals.length).toBeGreaterThan(0);
    for (const arn of principals) expect(arn).toMatch(/^arn:aws:iam::111111111111:/);
  });

  it("grants the environments pull from a separate tooling account", () => {
    const tooling = exampleConfig(
      (input) => void (input.pipeline.tooling = { accountId: "999999999999", region: "eu-west-1" }),
    );
    expect(pullAccounts(tooling)).toEqual(["111111111111", "222222222222"]);
  });

  it("fills EcrOutputs for every service", () => {
    const stack = new EcrStack(new App(), "ecr", exampleConfig());
    expect(Object.keys(stack.outputs.repositories)).toEqual(["api", "web"]);
    for (const ref of Object.values(stack.outputs.repositories)) {
      expect(ref.name && ref.arn && ref.url).toBeTruthy();
    }
    expect(stack.outputs.kmsKeyArn).toBeTruthy();
  });

  it("keeps its resource addresses stable", () => {
    expect(resourceAddresses(ecr)).toMatchSnapshot();
  });
});
