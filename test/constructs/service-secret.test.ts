import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ServiceSecret } from "../../src/constructs/service-secret";

describe("ServiceSecret", () => {
  const text = Testing.synthScope((scope) => {
    new ServiceSecret(scope, "Secret", {
      secretName: "shop/staging/api/DATABASE_URL",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/env",
    });
  });

  it("is KMS-encrypted, recoverable for 30 days and protected from destroy", () => {
    expect(text).toHaveResourceWithProperties(SecretsmanagerSecret, {
      name: "shop/staging/api/DATABASE_URL",
      kms_key_id: "arn:aws:kms:eu-west-1:111111111111:key/env",
      recovery_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("never holds a value: there is no secret version", () => {
    expect(text).not.toContain("aws_secretsmanager_secret_version");
    expect(text).not.toContain("secret_string");
  });
});
