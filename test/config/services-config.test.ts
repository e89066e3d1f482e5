import { describe, expect, it } from "vitest";
import { effectiveServices } from "../../src/config/effective-services";
import { configProblems, exampleConfig } from "../helpers/config";
import { threeByThreeConfig } from "../helpers/three-by-three";

type Raw = Record<string, unknown>;
const services = (input: Raw) => input.services as Raw[];
const environment = (input: Raw, name: string) => (input.environments as Record<string, Raw>)[name];

describe("effectiveServices", () => {
  it("applies an environment's sizing and counts over the top-level definition", () => {
    const api = effectiveServices(exampleConfig(), "production").find((s) => s.name === "api");
    expect(api).toMatchObject({
      cpu: 512,
      memory: 1024,
      desiredCount: 2,
      minCount: 2,
      maxCount: 10,
      // untouched by the override
      containerPort: 8080,
      secrets: ["DATABASE_URL", "STRIPE_API_KEY"],
    });
  });

  it("keeps the top-level values where an environment has no override", () => {
    const staging = effectiveServices(exampleConfig(), "staging");
    expect(staging.map((s) => [s.name, s.cpu, s.memory, s.minCount])).toEqual([
      ["api", 256, 512, 1],
      ["web", 256, 512, 1],
    ]);
  });

  it("merges plain environment variables, the environment's value winning", () => {
    const worker = effectiveServices(threeByThreeConfig(), "qa").find((s) => s.name === "worker");
    expect(worker?.environment).toEqual({ QUEUE_NAME: "jobs-qa" });
    expect(worker).toMatchObject({ cpu: 256, memory: 512 });
    const config = exampleConfig((input) => {
      input.environments.staging.services = { api: { environment: { FEATURE_X: "on" } } };
    });
    const api = effectiveServices(config, "staging").find((s) => s.name === "api");
    expect(api?.environment).toEqual({ LOG_LEVEL: "info", FEATURE_X: "on" });
  });

  it("returns services in config order", () => {
    expect(effectiveServices(threeByThreeConfig(), "qa").map((s) => s.name)).toEqual([
      "api",
      "web",
      "worker",
    ]);
  });

  it("names the environments when asked for an unknown one", () => {
    expect(() => effectiveServices(exampleConfig(), "prod")).toThrow(
      /unknown environment "prod"; defined: staging, production/,
    );
  });
});

describe("service config errors", () => {
  it("a bad Fargate size is a clear config error naming the field and the allowed memory", () => {
    const problems = configProblems((input) => {
      services(input)[0].memory = 3000;
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^services\[0\]\.memory: 3000 is not valid; cpu 256 with memory 3000 is not a Fargate size/,
    );
  });

  it("a bad Fargate size in an environment override points at the override", () => {
    const problems = configProblems((input) => {
      const overrides = environment(input, "production").services as Record<string, Raw>;
      // Only cpu changes (memory 512 is inherited): the message points at what was written.
      overrides.api = { cpu: 1024, desiredCount: 2, minCount: 2, maxCount: 10 };
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^environments\.production\.services\.api\.cpu: 1024 is not valid; cpu 1024 with memory 512 is not a Fargate size/,
      ),
    ]);
  });

  it("a duplicate hostname is a clear config error naming both services", () => {
    const problems = configProblems((input) => {
      services(input)[1].subdomain = "api";
    });
    expect(problems).toEqual([
      'services[1].subdomain: "api" is not valid; duplicate hostname: service "api" already answers on this subdomain',
    ]);
  });

  it("a frontend subdomain that a service already uses is a duplicate hostname", () => {
    const problems = configProblems((input) => {
      (environment(input, "staging").frontend as Raw).subdomain = "www";
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^environments\.staging\.frontend\.subdomain: "www" is not valid; duplicate hostname/,
      ),
    ]);
  });

  it("production services need at least two tasks", () => {
    const problems = configProblems((input) => {
      const overrides = environment(input, "production").services as Record<string, Raw>;
      overrides.web = { ...overrides.web, minCount: 1, desiredCount: 1 };
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^environments\.production\.services\.web\.minCount: 1 is not valid; production services need at least 2 tasks/,
      ),
    ]);
  });

  it("an empty health check command is an error", () => {
    const problems = configProblems((input) => {
      services(input)[0].healthCheckCommand = "";
    });
    expect(problems).toEqual([
      expect.stringMatching(/^services\[0\]\.healthCheckCommand: .*must not be empty/),
    ]);
  });
});
