import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, type PlatformConfigInput } from "../../src/config";
import { firstDeployRunbook } from "../../src/model/runbook";
import { guardOptionsFromConfig, hasErrors, runGuards } from "../../src/policies/guard/runner";
import { formatRehearsal } from "../../src/rehearsal/report";
import { rehearse } from "../../src/rehearsal/run";
import { exampleInput } from "../helpers/config";
import { synthOutput } from "../helpers/rehearsal";
import { synthApp } from "../helpers/synth";

/*
 * One gate: a config that validation accepts synthesizes (no construct or stack throws for a
 * config reason), passes every guard rule and rehearses cleanly; what would fail later is
 * refused up front. Checked on configs varied at random (seeded, so a failure reproduces) within
 * what the schema allows: service counts, ports, architectures, deployments, environments,
 * accounts, capacity, ECS Exec, the test listener, tags.
 */

/** mulberry32: a small seeded PRNG (the same seed gives the same configs on every run). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Input = PlatformConfigInput & Record<string, unknown>;

function variedConfig(seed: number): Input {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const input = exampleInput() as Input;
  const count = 1 + Math.floor(random() * 4);
  input.services = Array.from({ length: count }, (_, i) => ({
    name: `svc${i}${pick(["", "-api", "-jobs"])}`,
    subdomain: `host${i}`,
    containerPort: pick([80, 3000, 8080, 9000]) + i,
    healthCheckPath: pick(["/health", "/ready"]),
    architecture: pick(["X86_64", "ARM64"] as const),
    deployment: pick(["rolling", "rolling", "blue-green"] as const),
    secrets: random() < 0.5 ? ["DATABASE_URL"] : [],
    environment: (random() < 0.5 ? { LOG_LEVEL: "debug" } : {}) as Record<string, string>,
  }));
  const envs = input.environments as Record<string, Record<string, unknown>>;
  envs.production.accountId = pick(["111111111111", "222222222222"]);
  envs.production.services = {};
  envs.staging.ecsExec = random() < 0.5;
  if (random() < 0.5) {
    envs.staging.capacity = { fargateBase: 0, fargateWeight: 1, fargateSpotWeight: 3 };
  }
  if (random() < 0.5) {
    envs.production.loadBalancer = {
      testListener: { port: 9443, ingressCidrs: ["198.51.100.0/24"] },
    };
  }
  for (const service of input.services) {
    // Production runs at least two tasks (validation would refuse fewer).
    (envs.production.services as Record<string, unknown>)[service.name] = {
      desiredCount: 2,
      minCount: 2,
      maxCount: 4,
    };
  }
  if (random() < 0.4) {
    envs.qa = {
      accountId: pick(["111111111111", "333333333333"]),
      region: "eu-west-1",
      network: { vpcCidr: "10.30.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] },
      dns: { hostedZoneId: "Z0QAZONE00000000001", domain: "qa.acme-shop.example.com" },
    };
    (input.pipeline as Record<string, unknown>).promotion = pick([
      ["staging", "qa", "production"],
      ["qa", "staging", "production"],
    ]);
  }
  input.tags = random() < 0.5 ? { Owner: "team" } : {};
  return input;
}

describe("one gate: what validation accepts, AWS accepts", () => {
  const SEEDS = [1, 2, 3, 4];
  const accepted: number[] = [];
  for (const seed of SEEDS) {
    it(`varied config #${seed} synthesizes, passes the guard and rehearses cleanly`, async () => {
      const input = variedConfig(seed);
      let config;
      try {
        config = parseConfig(input, `varied-${seed}`);
      } catch (err) {
        // A refusal must be a config error naming fields, never anything else.
        expect(err).toBeInstanceOf(ConfigError);
        return;
      }
      accepted.push(seed);
      const app = synthApp(config);
      const guard = runGuards(app.stacks, guardOptionsFromConfig(config));
      expect(
        guard.findings.filter((f) => f.severity === "error").map((f) => `${f.ruleId} ${f.address}`),
      ).toEqual([]);
      expect(hasErrors(guard)).toBe(false);
      const result = await rehearse(synthOutput(config), firstDeployRunbook(config));
      expect(result.findings, formatRehearsal(result)).toEqual([]);
    });
  }

  it("varies configs that validation accepts (the checks above are not vacuous)", () => {
    expect(accepted.length).toBeGreaterThanOrEqual(SEEDS.length - 1);
  });
});
