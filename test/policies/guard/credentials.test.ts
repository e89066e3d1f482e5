import { describe, expect, it } from "vitest";
import { check, flagged, stackOf } from "./helpers";

describe("NO_LITERAL_CREDENTIALS", () => {
  it.each([
    [
      "an AWS access key id",
      { aws_instance: { i: { user_data: "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE" } } },
    ],
    [
      "a private key block",
      { aws_instance: { i: { user_data: "-----BEGIN RSA PRIVATE KEY-----\nabc" } } },
    ],
    [
      "a GitHub token",
      { github_actions_variable: { v: { value: "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB" } } },
    ],
    [
      "a GitHub token",
      {
        github_actions_variable: {
          v: { value: "github_pat_11ABCDEFG0123456789_abcdefghijklmnop" },
        },
      },
    ],
    [
      "a password inside a URL",
      { aws_ssm_parameter: { p: { value: "postgres://app:s3cr3t@db:5432/app" } } },
    ],
    ["a literal password attribute", { aws_db_instance: { d: { password: "hunter2" } } }],
    ["a literal plaintext_value", { github_actions_secret: { s: { plaintext_value: "abc" } } }],
  ])("fires on %s", (_what, resource) => {
    expect(check("NO_LITERAL_CREDENTIALS", stackOf(resource))).toHaveLength(1);
  });

  it("is quiet on references, variables and cdktf metadata", () => {
    const stack = stackOf(
      {
        aws_db_instance: {
          d: {
            password: "${var.db_password}",
            "//": { metadata: { path: "x/AKIAIOSFODNN7EXAMPLE" } },
          },
        },
        github_actions_secret: {
          s: {
            secret_name: "AWS_ROLE_ARN",
            plaintext_value: "${data.terraform_remote_state.x.outputs.y}",
          },
        },
      },
      { variable: { db_password: { type: "string", sensitive: true } } },
    );
    expect(check("NO_LITERAL_CREDENTIALS", stack)).toEqual([]);
  });

  it("finds credentials outside resources: providers, variables", () => {
    const stack = stackOf(
      {},
      {
        provider: { aws: [{ region: "eu-west-1", access_key: "AKIAIOSFODNN7EXAMPLE" }] },
        variable: { token: { type: "string", sensitive: true, default: "abc" } },
      },
    );
    expect(flagged("NO_LITERAL_CREDENTIALS", stack).sort()).toEqual([
      "provider.aws",
      "variable.token",
    ]);
  });
});
