import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { describe, expect, it } from "vitest";
import { flagged, stackOf, synthJson } from "./helpers";

describe("ECR rules", () => {
  const good = synthJson((scope) => {
    const repo = new EcrRepository(scope, "api", {
      name: "acme/api",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [
        { encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:111111111111:key/k" },
      ],
      lifecycle: { preventDestroy: true },
    });
    new EcrLifecyclePolicy(scope, "api-lifecycle", {
      repository: repo.name,
      policy: JSON.stringify({ rules: [] }),
    });
  });
  const bad = synthJson((scope) => {
    new EcrRepository(scope, "web", {
      name: "acme/web",
      forceDelete: true,
      encryptionConfiguration: [{ encryptionType: "AES256" }],
    });
  });
  const RULES = [
    "ECR_SCAN_ON_PUSH",
    "ECR_KMS_ENCRYPTED",
    "ECR_LIFECYCLE_POLICY",
    "ECR_TAG_IMMUTABLE",
    "ECR_NO_FORCE_DELETE",
    "STATEFUL_PREVENT_DESTROY",
  ];

  it.each(RULES)("%s: quiet on a compliant repository", (rule) => {
    expect(flagged(rule, good)).toEqual([]);
  });

  it.each(RULES)("%s: fires on a non-compliant repository", (rule) => {
    expect(flagged(rule, bad)).toEqual(["aws_ecr_repository.web"]);
  });

  it("the lifecycle policy is not read as an IAM document", () => {
    expect(flagged("IAM_POLICY_READABLE", good)).toEqual([]);
  });

  it("registry-level enhanced scanning satisfies ECR_SCAN_ON_PUSH", () => {
    const stack = stackOf({
      aws_ecr_repository: { r: { name: "r" } },
      aws_ecr_registry_scanning_configuration: {
        s: { scan_type: "ENHANCED", rule: [{ scan_frequency: "CONTINUOUS_SCAN" }] },
      },
    });
    expect(flagged("ECR_SCAN_ON_PUSH", stack)).toEqual([]);
  });
});
