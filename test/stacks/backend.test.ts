import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformBackend, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app";
import { PlatformStack } from "../../src/stacks/platform-stack";
import { workspaceName } from "../../src/stacks/backend";
import { exampleConfig, hcpRemoteConfig } from "../helpers/config";
import type { StackJson } from "../helpers/synth";

function synthDemo(config = exampleConfig()): StackJson {
  const app = Testing.app();
  const stack = new PlatformStack(app, "demo", { config, environment: "staging" });
  stack.addAwsProvider({ accountId: "111111111111", region: "eu-west-1" });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** A stack on HCP Terraform (organization acme, `state` added) and its backend. */
function hcpDemo(state: { hostname?: string; workspacePrefix?: string }) {
  const config = exampleConfig((c) => {
    c.state = { backend: "hcp", organization: "acme", ...state };
  });
  const stack = new PlatformStack(Testing.app(), "demo", { config, environment: "staging" });
  stack.addAwsProvider({ accountId: "111111111111", region: "eu-west-1" });
  const backend = stack.node.findAll().find((c) => TerraformBackend.isBackend(c));
  return { stack, backend: backend as TerraformBackend };
}

describe("stack backends", () => {
  it("uses one encrypted, locked S3 key per stack", () => {
    const json = synthDemo();
    expect(json.terraform?.backend).toEqual({
      s3: {
        bucket: "acme-shop-tfstate-111111111111",
        key: "acme-shop/demo.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "arn:aws:kms:eu-west-1:111111111111:alias/acme-shop-tfstate",
        use_lockfile: true,
      },
    });
  });

  it("assumes the configured state role", () => {
    const json = synthDemo(
      exampleConfig((c) => {
        if (c.state.backend === "s3")
          c.state.roleArn = "arn:aws:iam::111111111111:role/state-access";
      }),
    );
    expect(json.terraform?.backend?.s3).toMatchObject({
      assume_role: { role_arn: "arn:aws:iam::111111111111:role/state-access" },
    });
  });

  it("uses a named HCP Terraform workspace per stack", () => {
    const config = exampleConfig((c) => {
      c.state = { backend: "hcp", organization: "acme", workspacePrefix: "shop-" };
    });
    const json = synthDemo(config);
    expect(json.terraform?.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: "shop-demo" },
    });
    expect(workspaceName(config, "demo")).toBe("shop-demo");
  });

  it("synthesizes HCP Terraform stacks on a machine without terraform", () => {
    // Synth writes JSON; terraform runs later, elsewhere (CI, HCP Terraform). cdktf's own
    // CloudBackend ran `terraform version` per stack and failed here.
    const outdir = mkdtempSync(join(tmpdir(), "no-terraform-"));
    const path = process.env.PATH;
    process.env.PATH = join(outdir, "empty");
    try {
      buildApp(hcpRemoteConfig(), { outdir }).synth();
    } finally {
      process.env.PATH = path;
    }
    const ecr = JSON.parse(readFileSync(join(outdir, "stacks", "ecr", "cdk.tf.json"), "utf8")) as {
      terraform: { cloud: unknown };
      "//": { metadata: { backend: string; cloud: string } };
    };
    rmSync(outdir, { recursive: true, force: true });
    expect(ecr.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: "acme-shop-ecr" },
    });
    // What cdktf's CLI reads to run the stack against HCP Terraform rather than Enterprise.
    expect(ecr["//"].metadata).toMatchObject({ backend: "cloud", cloud: "tfc" });
  });

  it("names a Terraform Enterprise host as such for cdktf's CLI", () => {
    const { stack, backend } = hcpDemo({ hostname: "tfe.acme.example" });
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    expect(json.terraform?.cloud).toMatchObject({ hostname: "tfe.acme.example" });
    // The stack metadata cdktf's CLI reads (Testing.synth leaves it out of the JSON).
    expect(backend.toMetadata()).toEqual({ backend: "cloud", cloud: "tfe" });
  });

  it("merges an override into the cloud block as cdktf does, key by key", () => {
    const { stack, backend } = hcpDemo({ workspacePrefix: "shop-" });
    backend.addOverride("workspaces.project", "platform");
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    expect(json.terraform?.cloud).toMatchObject({
      organization: "acme",
      workspaces: { name: "shop-demo", project: "platform" },
    });
  });

  it("defaults the workspace prefix to the project", () => {
    const config = exampleConfig((c) => {
      c.state = { backend: "hcp", organization: "acme" };
    });
    expect(workspaceName(config, "network-staging")).toBe("acme-shop-network-staging");
  });
});

describe("AWS provider", () => {
  it("pins the account, tags everything and names the stack", () => {
    const json = synthDemo();
    expect(json.provider?.aws?.[0]).toEqual({
      region: "eu-west-1",
      allowed_account_ids: ["111111111111"],
      default_tags: [
        {
          tags: {
            Owner: "platform-team",
            CostCenter: "4711",
            Project: "acme-shop",
            Environment: "staging",
            ManagedBy: "cdktf",
            Stack: "demo",
          },
        },
      ],
    });
  });
});
