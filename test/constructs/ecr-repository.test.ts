import { EcrRepository as AwsEcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  EcrRepository,
  lifecycleRules,
  PULL_ACTIONS,
  type EcrRepositoryProps,
} from "../../src/constructs/ecr-repository";
import { resourcesOf, type StackJson } from "../helpers/synth";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/abc";

function synthRepo(props: Partial<EcrRepositoryProps> = {}): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    new EcrRepository(scope, "Repo", { name: "shop/api", kmsKeyArn: KEY, ...props });
  });
  return { text, json: JSON.parse(text) as StackJson };
}

describe("EcrRepository", () => {
  it("scans on push, encrypts with the customer key and cannot be destroyed", () => {
    expect(synthRepo().text).toHaveResourceWithProperties(AwsEcrRepository, {
      name: "shop/api",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: KEY }],
      force_delete: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("keeps tags mutable by default (the pipeline follows a moving tag) and immutable on request", () => {
    expect(synthRepo().text).toHaveResourceWithProperties(AwsEcrRepository, {
      image_tag_mutability: "MUTABLE",
    });
    expect(synthRepo({ immutableTags: true }).text).toHaveResourceWithProperties(AwsEcrRepository, {
      image_tag_mutability: "IMMUTABLE",
    });
  });

  it("expires untagged images after 7 days, protects the release tag, keeps 100 rollback images", () => {
    const { json } = synthRepo({ retention: { protectedTagPrefixes: ["release"] } });
    const policy = JSON.parse(
      Object.values(resourcesOf(json, "aws_ecr_lifecycle_policy"))[0].policy as string,
    );
    expect(policy.rules.map((r: { selection: unknown }) => r.selection)).toEqual([
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
      {
        tagStatus: "tagged",
        tagPrefixList: ["release"],
        countType: "imageCountMoreThan",
        countNumber: 10000,
      },
      {
        tagStatus: "tagged",
        tagPrefixList: ["sha-"],
        countType: "imageCountMoreThan",
        countNumber: 100,
      },
    ]);
    expect(policy.rules.map((r: { rulePriority: number }) => r.rulePriority)).toEqual([1, 2, 3]);
    expect(
      policy.rules.every(
        (r: { action: unknown }) => JSON.stringify(r.action) === '{"type":"expire"}',
      ),
    ).toBe(true);
  });

  it("keeps deployed images per environment, in the order given, between release and sha-", () => {
    const rules = lifecycleRules({
      protectedTagPrefixes: ["release"],
      deployedTagPrefixes: ["deployed-production--", "deployed-staging--", "deployed-dev--"],
      deployedImages: 20,
    });
    expect(
      rules.map((r) => [r.rulePriority, r.selection.tagPrefixList, r.selection.countNumber]),
    ).toEqual([
      [1, undefined, 7],
      [2, ["release"], 10000],
      [3, ["deployed-production--"], 20],
      [4, ["deployed-staging--"], 20],
      [5, ["deployed-dev--"], 20],
      [6, ["sha-"], 100],
    ]);
    expect(new Set(rules.map((r) => r.rulePriority)).size).toBe(rules.length);
  });

  it("gives every prefix its own rule (a rule's tagPrefixList selects images with ALL of them)", () => {
    const rules = lifecycleRules({ protectedTagPrefixes: ["release", "stable"] });
    expect(
      rules.filter((r) => r.selection.countNumber === 10000).map((r) => r.selection.tagPrefixList),
    ).toEqual([["release"], ["stable"]]);
  });

  it("never has an `any` rule that could expire other tagged images", () => {
    expect(lifecycleRules().some((r) => r.selection.tagStatus === "any")).toBe(false);
  });

  it("adds no repository policy when nobody else pulls", () => {
    expect(resourcesOf(synthRepo().json, "aws_ecr_repository_policy")).toEqual({});
  });

  it("grants pull (only) to other accounts by their root principal", () => {
    const { json } = synthRepo({
      pullAccountIds: ["333333333333", "222222222222", "222222222222"],
    });
    const policy = JSON.parse(
      Object.values(resourcesOf(json, "aws_ecr_repository_policy"))[0].policy as string,
    );
    expect(policy.Statement).toEqual([
      {
        Sid: "PullFromPlatformAccounts",
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"],
        },
        Action: [...PULL_ACTIONS],
      },
    ]);
  });

  it("grants pull to exact roles of other accounts, pinned by aws:PrincipalArn", () => {
    const roles = [
      "arn:aws:iam::333333333333:role/p-prod-api-execution",
      "arn:aws:iam::222222222222:role/p-qa-api-execution",
    ];
    const { json } = synthRepo({ pullPrincipalArns: roles });
    const policy = JSON.parse(
      Object.values(resourcesOf(json, "aws_ecr_repository_policy"))[0].policy as string,
    );
    expect(policy.Statement).toEqual([
      {
        Sid: "PullByPlatformRoles",
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"],
        },
        Action: [...PULL_ACTIONS],
        Condition: { ArnEquals: { "aws:PrincipalArn": [...roles].sort() } },
      },
    ]);
    expect(() => synthRepo({ pullPrincipalArns: ["222222222222"] })).toThrow(/not an IAM role/);
  });

  it("rejects retention that would expire everything or nothing sensible", () => {
    expect(() => synthRepo({ retention: { untaggedDays: 0 } })).toThrow(/untaggedDays/);
    expect(() => synthRepo({ retention: { rollbackImages: 0 } })).toThrow(/rollbackImages/);
    expect(() => synthRepo({ retention: { deployedImages: 10000 } })).toThrow(/deployedImages/);
    expect(() =>
      synthRepo({ retention: { protectedTagPrefixes: ["sha-"], rollbackTagPrefixes: ["sha-"] } }),
    ).toThrow(/listed twice/);
  });
});
