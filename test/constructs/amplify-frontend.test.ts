import { AmplifyApp } from "@cdktf/provider-aws/lib/amplify-app";
import { AmplifyBranch } from "@cdktf/provider-aws/lib/amplify-branch";
import { AmplifyDomainAssociation } from "@cdktf/provider-aws/lib/amplify-domain-association";
import { TerraformVariable, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  AmplifyFrontend,
  DEFAULT_BUILD_SPEC,
  SPA_REWRITE,
} from "../../src/constructs/amplify-frontend";

const synth = (buildSpec?: string) =>
  Testing.synthScope((scope) => {
    const token = new TerraformVariable(scope, "amplify_github_token", {
      type: "string",
      sensitive: true,
    });
    new AmplifyFrontend(scope, "Frontend", {
      appName: "shop-staging-frontend",
      repositoryUrl: "https://github.com/acme/shop-web",
      accessToken: token.stringValue,
      branch: "develop",
      framework: "React",
      buildSpec,
      domain: "staging.example.com",
      subdomain: "app",
    });
  });

describe("AmplifyFrontend", () => {
  it("connects the repository with the token variable's reference", () => {
    expect(synth()).toHaveResourceWithProperties(AmplifyApp, {
      name: "shop-staging-frontend",
      repository: "https://github.com/acme/shop-web",
      access_token: "${var.amplify_github_token}",
      platform: "WEB",
      build_spec: DEFAULT_BUILD_SPEC,
      custom_rule: [{ ...SPA_REWRITE }],
    });
  });

  it("uses a configured build spec", () => {
    expect(synth("version: 1\n")).toHaveResourceWithProperties(AmplifyApp, {
      build_spec: "version: 1\n",
    });
  });

  it("deploys the environment's branch on <subdomain>.<domain>", () => {
    const text = synth();
    expect(text).toHaveResourceWithProperties(AmplifyBranch, {
      branch_name: "develop",
      stage: "DEVELOPMENT",
      framework: "React",
      enable_auto_build: true,
    });
    expect(text).toHaveResourceWithProperties(AmplifyDomainAssociation, {
      domain_name: "staging.example.com",
      wait_for_verification: false,
      sub_domain: [
        {
          branch_name: expect.stringMatching(/aws_amplify_branch\..*\.branch_name/),
          prefix: "app",
        },
      ],
    });
  });
});
