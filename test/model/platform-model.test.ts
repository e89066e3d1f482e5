import { describe, expect, it } from "vitest";
import { platformModel } from "../../src/model/platform-model";
import { exampleConfig } from "../helpers/config";
import { synthApp } from "../helpers/synth";
import { threeByThreeConfig } from "../helpers/three-by-three";

/* The platform model as plain data: what the example config means, and that it cannot change. */
describe("the platform model of the example config", () => {
  const config = exampleConfig();
  const model = platformModel(config);

  it("places the tooling in staging's account and gives every account its CI stack", () => {
    expect(model.tooling).toEqual({ accountId: "111111111111", region: "eu-west-1" });
    expect(model.accounts.map((a) => a.accountId)).toEqual(["111111111111", "222222222222"]);
    expect(model.githubOidcStacks).toEqual({
      "111111111111": "github-oidc",
      "222222222222": "github-oidc-222222222222",
    });
  });

  it("derives each environment's defaults from whether it is production", () => {
    const { staging, production } = model.environments;
    expect([staging.natGateways, staging.waf, staging.albDeletionProtection]).toEqual([
      "single",
      false,
      true,
    ]);
    expect([production.natGateways, production.waf]).toEqual(["per-az", true]);
    expect(production.capacity.fargateSpotWeight).toBe(0); // production runs on-demand only
    expect(staging.capacity.fargateSpotWeight).toBeGreaterThan(0);
  });

  it("applies the environment's overrides and names what other stacks need, in their accounts", () => {
    const api = model.environments.production.services.api;
    expect(api.effective.cpu).toBe(512); // production override of 256
    expect(model.environments.staging.services.api.effective.cpu).toBe(256);
    expect(api.hostname).toBe("api.acme-shop.example.com");
    expect(api.executionRoleArn).toBe(
      "arn:aws:iam::222222222222:role/acme-shop-production-api-execution",
    );
    expect(api.deployRole?.arn).toBe(
      "arn:aws:iam::222222222222:role/acme-shop-production-api-pipeline-deploy",
    );
    // Staging is the pipeline's own account: no deploy role, no access stack.
    expect(model.environments.staging.services.api.deployRole).toBeUndefined();
    expect(model.environments.staging.stackIds.pipelineAccess).toBeUndefined();
    expect(model.environments.production.stackIds.pipelineAccess).toBe(
      "pipeline-access-production",
    );
    expect(Object.keys(api.secretNames)).toEqual(["DATABASE_URL", "STRIPE_API_KEY"]);
    // Listener priorities are distinct per environment.
    const priorities = Object.values(model.environments.staging.services).map(
      (s) => s.listenerRulePriority,
    );
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it("deploys every synthesized stack, once, in the rehearsed order", () => {
    const stacks = Object.keys(synthApp(config).stacks).sort();
    expect([...model.deployOrder].sort()).toEqual(stacks);
    expect(model.deployOrder.indexOf("pipeline-access-production")).toBeLessThan(
      model.deployOrder.indexOf("pipeline"),
    );
  });

  it("is immutable, and leaves the config it came from as it was", () => {
    expect(Object.isFrozen(config.services[0])).toBe(false);
    expect(Object.isFrozen(model.environments.staging.services.web.effective)).toBe(true);
    expect(() => {
      (model.environments.staging as { production: boolean }).production = true;
    }).toThrow(TypeError);
    expect(() => {
      (model.promotion as string[]).push("qa");
    }).toThrow(TypeError);
  });

  it("covers every environment and service of a larger config", () => {
    const big = platformModel(threeByThreeConfig());
    expect(Object.keys(big.environments).sort()).toEqual(["production", "qa", "staging"]);
    for (const env of Object.values(big.environments)) {
      expect(Object.keys(env.services).sort()).toEqual(["api", "web", "worker"]);
    }
    expect(big.environments.qa.services.worker.effective.cpu).toBe(256); // qa override
  });
});
