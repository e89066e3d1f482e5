import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { describe, expect, it } from "vitest";
import { exampleConfig } from "../helpers/config";
import { resourcesOf, synthApp } from "../helpers/synth";
import { variedConfig } from "../helpers/varied-config";
import { SHIPPED_CONFIGS } from "../helpers/shipped-configs";

describe("state stack", () => {
  const app = synthApp(exampleConfig());
  const text = app.text.state;
  const json = app.stacks.state;

  it("keeps its own state in a local file outside cdktf.out (it bootstraps the bucket)", () => {
    // Terraform runs in cdktf.out/stacks/state, which every synth replaces.
    expect(json.terraform?.backend).toEqual({
      local: { path: "../../../terraform.state.tfstate" },
    });
  });

  it("moves its own state into the bucket once migrated", () => {
    // The varied config moves it (stateStackBackend: s3).
    const migrated = synthApp(variedConfig());
    expect(migrated.stacks.state.terraform?.backend).toEqual({
      s3: expect.objectContaining({
        bucket: "acme-shop-tfstate-111111111111",
        key: "acme-shop/state.tfstate",
        use_lockfile: true,
      }),
    });
  });

  it("creates a protected state bucket in the state account", () => {
    expect(text).toHaveResourceWithProperties(S3Bucket, {
      bucket: "acme-shop-tfstate-111111111111",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(json.provider?.aws?.[0]).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: ["111111111111"],
    });
  });

  it("encrypts with a rotating, protected KMS key", () => {
    expect(text).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
    });
    expect(text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        expect.objectContaining({
          apply_server_side_encryption_by_default: expect.objectContaining({
            sse_algorithm: "aws:kms",
          }),
        }),
      ],
    });
  });

  it("versions, blocks public access and expires noncurrent versions", () => {
    expect(text).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: "Enabled" },
    });
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(text).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] })],
    });
  });

  it("denies any request not made over TLS", () => {
    // The state bucket's (the other one belongs to its access-log bucket).
    const policies = Object.entries(resourcesOf(json, "aws_s3_bucket_policy"))
      .filter(([name]) => name.startsWith("Bucket_"))
      .map(([, p]) => p);
    expect(policies).toHaveLength(1);
    const doc = JSON.parse(policies[0].policy as string) as {
      Statement: Record<string, unknown>[];
    };
    expect(doc.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Principal: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  it("is left out with HCP Terraform state", () => {
    const hcp = synthApp(SHIPPED_CONFIGS["HCP Terraform"]());
    expect(hcp.stacks.state).toBeUndefined();
  });
});

describe("state access from the other platform accounts", () => {
  const app = synthApp(exampleConfig());
  const statements = (policy: string) =>
    (JSON.parse(policy) as { Statement: Record<string, unknown>[] }).Statement;
  const bucketPolicy = statements(
    Object.entries(resourcesOf(app.stacks.state, "aws_s3_bucket_policy")).find(([name]) =>
      name.startsWith("Bucket_"),
    )?.[1].policy as string,
  );
  const keyPolicy = statements(
    Object.values(resourcesOf(app.stacks.state, "aws_kms_key"))[0].policy as string,
  );
  const roleNames = (stack: string) =>
    Object.values(resourcesOf(app.stacks[stack], "aws_iam_role")).map((r) => r.name);

  it("lets the production account's plan role read state and write only lock files", () => {
    const plan = "arn:aws:iam::222222222222:role/acme-shop-github-infra-plan";
    const locks = bucketPolicy.find((s) => s.Sid === "PlatformRolesWriteLocks");
    expect(locks).toMatchObject({
      Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
      Resource: "arn:aws:s3:::acme-shop-tfstate-111111111111/acme-shop/*.tflock",
    });
    expect(JSON.stringify(locks)).toContain(plan);
    const write = bucketPolicy.find((s) => s.Sid === "ApplyRolesWriteState");
    expect(JSON.stringify(write)).not.toContain(plan);
    expect(write?.Condition).toEqual({
      ArnEquals: {
        "aws:PrincipalArn": ["arn:aws:iam::222222222222:role/acme-shop-github-infra-apply"],
      },
    });
  });

  it("names exactly the roles the github-oidc stack creates", () => {
    const named = [...JSON.stringify(bucketPolicy).matchAll(/role\/([\w+=,.@-]+)/g)].map(
      (m) => m[1],
    );
    for (const name of new Set(named)) expect(roleNames("github-oidc")).toContain(name);
  });

  it("lets those roles use the state key, and nobody else outside the account", () => {
    const cross = keyPolicy.find((s) => s.Sid === "PlatformRolesUseStateKey");
    expect(cross).toMatchObject({
      Principal: { AWS: ["arn:aws:iam::222222222222:root"] },
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
    });
    expect(keyPolicy.filter((s) => s.Effect === "Allow")).toHaveLength(2);
  });

  it("adds no cross-account access in a single-account platform", () => {
    const single = synthApp(
      exampleConfig((c) => {
        c.environments.production.accountId = "111111111111";
      }),
    );
    const text = single.text.state;
    expect(text).not.toContain("PlatformRoles");
  });
});
