import { describe, expect, it } from "vitest";
import { decide } from "../../src/iam/simulate";
import type { PolicyJson } from "../../src/synth/resolve";
import { exampleConfig } from "../helpers/config";
import { platformIam } from "../helpers/iam";

/*
 * Cross-account access through resource policies, as AWS evaluates it: the resource's policy and
 * the caller's own policy must both allow. The intended principals get in; other principals of
 * the same account, other accounts, and look-alike roles do not, whatever their own policies say
 * (each attacker below holds an `*`-on-`*` identity policy).
 */

const TOOLING = "111111111111";
const PROD = "222222222222";
const iam = platformIam(exampleConfig());
const ANYTHING: PolicyJson = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

function policyOf(stack: string, type: string, match: (name: string) => boolean): PolicyJson {
  const ref = iam.app.resources(stack, type).find((r) => match(r.name));
  const policy = ref ? iam.app.policy(ref, "policy") : undefined;
  if (!policy) throw new Error(`no ${type} in ${stack}`);
  return policy;
}

/** A caller with full rights in its own account (its policy allows everything). */
const as = (
  principal: string,
  action: string,
  resource: string,
  resourcePolicy: PolicyJson,
  resourceAccount = TOOLING,
) =>
  decide({
    principal,
    action,
    resource,
    resourceAccount,
    resourcePolicy,
    identityPolicies: [ANYTHING],
    region: "eu-west-1",
  });

const prodRole = (name: string) => `arn:aws:iam::${PROD}:role/${name}`;

describe("state bucket and key (state account, used by every account's CI roles)", () => {
  const bucket = policyOf("state", "aws_s3_bucket_policy", (n) => n.startsWith("Bucket_"));
  const key = policyOf("state", "aws_kms_key", () => true);
  const state = "arn:aws:s3:::acme-shop-tfstate-111111111111/acme-shop/network-production.tfstate";

  it("the production apply role reads and writes state; the plan role only locks", async () => {
    expect(await as(prodRole("acme-shop-github-infra-apply"), "s3:PutObject", state, bucket)).toBe(
      "Allowed",
    );
    expect(await as(prodRole("acme-shop-github-infra-plan"), "s3:GetObject", state, bucket)).toBe(
      "Allowed",
    );
    expect(
      await as(prodRole("acme-shop-github-infra-plan"), "s3:PutObject", state, bucket),
    ).not.toBe("Allowed");
    expect(
      await as(prodRole("acme-shop-github-infra-plan"), "s3:PutObject", `${state}.tflock`, bucket),
    ).toBe("Allowed");
  });

  it.each([
    ["another role of the production account", prodRole("acme-shop-production-api-task")],
    ["a look-alike role name", prodRole("acme-shop-github-infra-apply-old")],
    [
      "another account's role of the same name",
      "arn:aws:iam::333333333333:role/acme-shop-github-infra-apply",
    ],
    ["another account's root", "arn:aws:iam::333333333333:root"],
  ])("%s gets nothing", async (_, principal) => {
    for (const action of ["s3:GetObject", "s3:PutObject"]) {
      expect(await as(principal, action, state, bucket)).not.toBe("Allowed");
    }
    expect(
      await as(
        principal,
        "kms:Decrypt",
        `arn:aws:kms:eu-west-1:${TOOLING}:key/state`,
        key,
        TOOLING,
      ),
    ).not.toBe("Allowed");
  });
});

describe("pipeline artifacts (tooling account, read by the production deploy roles)", () => {
  const bucket = policyOf("pipeline", "aws_s3_bucket_policy", (n) => n.startsWith("Artifacts_"));
  const key = policyOf("pipeline", "aws_kms_key", () => true);
  const artifact =
    "arn:aws:s3:::acme-shop-pipeline-artifacts-111111111111/acme-shop-api-delivery/BuildArtif/x";
  const keyArn = `arn:aws:kms:eu-west-1:${TOOLING}:key/pipeline`;

  it("the production deploy roles read and decrypt artifacts", async () => {
    expect(
      await as(
        prodRole("acme-shop-production-api-pipeline-deploy"),
        "s3:GetObject",
        artifact,
        bucket,
      ),
    ).toBe("Allowed");
    expect(
      await as(prodRole("acme-shop-production-web-pipeline-deploy"), "kms:Decrypt", keyArn, key),
    ).toBe("Allowed");
  });

  it("but may not write them, and nobody else of production may read them", async () => {
    expect(
      await as(
        prodRole("acme-shop-production-api-pipeline-deploy"),
        "s3:PutObject",
        artifact,
        bucket,
      ),
    ).not.toBe("Allowed");
    for (const principal of [
      prodRole("acme-shop-production-api-task"),
      prodRole("acme-shop-github-infra-plan"),
      "arn:aws:iam::333333333333:role/acme-shop-production-api-pipeline-deploy",
    ]) {
      expect(await as(principal, "s3:GetObject", artifact, bucket)).not.toBe("Allowed");
      expect(await as(principal, "kms:Decrypt", keyArn, key)).not.toBe("Allowed");
    }
  });
});

describe("ECR repositories (tooling account, pulled by production's execution roles)", () => {
  const api = policyOf("ecr", "aws_ecr_repository_policy", (n) => n.startsWith("api_"));
  const repo = `arn:aws:ecr:eu-west-1:${TOOLING}:repository/acme-shop/api`;

  it("only the api execution role of production pulls the api image", async () => {
    expect(
      await as(prodRole("acme-shop-production-api-execution"), "ecr:BatchGetImage", repo, api),
    ).toBe("Allowed");
    expect(
      await as(prodRole("acme-shop-production-web-execution"), "ecr:BatchGetImage", repo, api),
    ).not.toBe("Allowed");
    expect(
      await as(prodRole("acme-shop-production-api-task"), "ecr:BatchGetImage", repo, api),
    ).not.toBe("Allowed");
    expect(
      await as(
        "arn:aws:iam::333333333333:role/acme-shop-production-api-execution",
        "ecr:BatchGetImage",
        repo,
        api,
      ),
    ).not.toBe("Allowed");
  });

  it("nobody outside the tooling account pushes", async () => {
    expect(
      await as(prodRole("acme-shop-production-api-execution"), "ecr:PutImage", repo, api),
    ).not.toBe("Allowed");
  });
});

describe("alarm topics (services stacks): only this account's alarms and rules publish", () => {
  const topic = policyOf("services-production", "aws_sns_topic_policy", () => true);
  const arn = `arn:aws:sns:eu-west-1:${PROD}:acme-shop-production-alarms`;
  const publish = (principal: string, sourceAccount: string) =>
    decide({
      principal,
      action: "sns:Publish",
      resource: arn,
      resourceAccount: PROD,
      resourcePolicy: topic,
      region: "eu-west-1",
      context: { "aws:SourceAccount": sourceAccount },
    });

  it("CloudWatch and EventBridge of the account publish; of another account, not", async () => {
    expect(await publish("cloudwatch.amazonaws.com", PROD)).toBe("Allowed");
    expect(await publish("events.amazonaws.com", PROD)).toBe("Allowed");
    expect(await publish("cloudwatch.amazonaws.com", "333333333333")).not.toBe("Allowed");
    expect(await publish("s3.amazonaws.com", PROD)).not.toBe("Allowed");
  });
});
