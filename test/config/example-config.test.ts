import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { EXAMPLE_CONFIG_PATH } from "../helpers/config";

describe("example config", () => {
  const config = loadConfig(EXAMPLE_CONFIG_PATH);

  it("validates and applies defaults", () => {
    expect(config.project).toBe("acme-shop");
    expect(Object.keys(config.environments)).toEqual(["staging", "production"]);
    expect(config.environments.staging.network.subnetNewBits).toBe(4);
    expect(config.environments.staging.network.vpcEndpoints).toBe(true);
    expect(config.services.find((s) => s.name === "web")?.cpu).toBe(256);
    expect(config.pipeline.sourceImageTag).toBe("release");
  });

  it("puts production in another account than staging", () => {
    expect(config.environments.production.accountId).not.toBe(
      config.environments.staging.accountId,
    );
  });

  it("holds no credentials", () => {
    const text = JSON.stringify(config);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|ghp_|github_pat_|BEGIN [A-Z ]*PRIVATE KEY/);
  });
});
