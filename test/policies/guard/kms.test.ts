import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { describe, expect, it } from "vitest";
import { ManagedKey } from "../../../src/constructs/kms-key";
import { flagged, policy, stackOf, synthJson } from "./helpers";

describe("KMS rules", () => {
  const managed = synthJson((scope) => {
    new ManagedKey(scope, "Key", {
      alias: "alias/acme",
      description: "d",
      accountId: "111111111111",
    });
  });

  it("ManagedKey passes rotation, principal, prevent_destroy and the service-wildcard check", () => {
    for (const rule of [
      "KMS_KEY_ROTATION",
      "KMS_KEY_NO_PUBLIC_PRINCIPAL",
      "STATEFUL_PREVENT_DESTROY",
      "IAM_NO_SERVICE_WILDCARD_ACTION",
      "IAM_ACTION_EXISTS",
    ]) {
      expect(flagged(rule, managed), rule).toEqual([]);
    }
  });

  it("KMS_KEY_ROTATION fires on a key without rotation, not on an asymmetric key", () => {
    const stack = synthJson((scope) => {
      new KmsKey(scope, "Plain", {});
      new KmsKey(scope, "Signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" });
    });
    expect(flagged("KMS_KEY_ROTATION", stack)).toEqual(["aws_kms_key.Plain"]);
  });

  it("KMS_KEY_NO_PUBLIC_PRINCIPAL fires on * without a condition, not with one", () => {
    const open = stackOf({
      aws_kms_key: {
        k: {
          policy: policy({
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "kms:Decrypt",
            Resource: "*",
          }),
        },
      },
    });
    const conditioned = stackOf({
      aws_kms_key: {
        k: {
          policy: policy({
            Effect: "Allow",
            Principal: "*",
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": "111111111111" } },
          }),
        },
      },
    });
    expect(flagged("KMS_KEY_NO_PUBLIC_PRINCIPAL", open)).toEqual(["aws_kms_key.k"]);
    expect(flagged("KMS_KEY_NO_PUBLIC_PRINCIPAL", conditioned)).toEqual([]);
  });

  it("RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL fires on a public topic policy", () => {
    const stack = stackOf({
      aws_sns_topic_policy: {
        open: {
          arn: "x",
          policy: policy({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" }),
        },
        scoped: {
          arn: "x",
          policy: policy({
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: "*",
          }),
        },
      },
    });
    expect(flagged("RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL", stack)).toEqual([
      "aws_sns_topic_policy.open",
    ]);
  });
});
