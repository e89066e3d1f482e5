import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";
import { configProblems, EXAMPLE_CONFIG_PATH } from "../helpers/config";

type Raw = Record<string, unknown>;
const env = (input: Raw, name: string) => (input.environments as Record<string, Raw>)[name];
const network = (input: Raw, name: string) => env(input, name).network as Raw;
const services = (input: Raw) => input.services as Raw[];

const pipeline = (input: Raw) => input.pipeline as Raw;

/** Each class of mistake, the edit that makes it, and what the message must say. */
const CASES: [string, (input: Raw) => void, RegExp][] = [
  [
    "the same secret twice in one service",
    (i) => (services(i)[0].secrets = ["DATABASE_URL", "DATABASE_URL"]),
    /^services\[0\]\.secrets\[1\]: "DATABASE_URL" is not valid; is listed twice \(also at \[0\]\); list each secret once$/,
  ],
  [
    "the same CIDR twice in an ingress list",
    (i) => (env(i, "staging").loadBalancer = { ingressCidrs: ["10.0.0.0/8", "10.0.0.0/8"] }),
    /^environments\.staging\.loadBalancer\.ingressCidrs\[1\]: "10\.0\.0\.0\/8" is not valid; is listed twice/,
  ],
  [
    "more ingress CIDRs than the ALB's security group holds",
    (i) =>
      (env(i, "staging").loadBalancer = {
        ingressCidrs: Array.from({ length: 26 }, (_, n) => `10.${n}.0.0/16`),
      }),
    /^environments\.staging\.loadBalancer\.ingressCidrs: a list of 26 entries is not valid; has 26 entries; it must have at most 25$/,
  ],
  [
    "two environments on one domain",
    (i) => (env(i, "production").dns = { ...(env(i, "staging").dns as Raw) }),
    /^environments\.production\.dns\.domain: "staging\.acme-shop\.example\.com" is not valid; environments\.staging already uses this domain/,
  ],
  [
    "a hosted zone of another account's environment",
    (i) =>
      (env(i, "production").dns = {
        hostedZoneId: (env(i, "staging").dns as Raw).hostedZoneId,
        domain: "prod.acme-shop.example.com",
      }),
    /^environments\.production\.dns\.hostedZoneId: "Z0STAGINGZONE000001" is not valid; is environments\.staging's hosted zone, in account 111111111111; a hosted zone belongs to one account/,
  ],
  [
    "production deployed first",
    (i) => (pipeline(i).promotion = ["production", "staging"]),
    /^pipeline\.promotion\[0\]: "production" is not valid; is a production environment first in the promotion order/,
  ],
  [
    "a deploy role in another account than its environment",
    (i) => (env(i, "production").deployRoleArn = "arn:aws:iam::111111111111:role/terraform"),
    /^environments\.production\.deployRoleArn: "arn:aws:iam::111111111111:role\/terraform" is not valid; is a role in account 111111111111, but the environment is in 222222222222/,
  ],
  [
    "a branch written as a ref",
    (i) => (pipeline(i).configSource = { type: "codecommit", branch: "refs/heads/main" }),
    /^pipeline\.configSource\.branch: "refs\/heads\/main" is not valid; write the branch name alone \(main\), without "refs\/heads\/"$/,
  ],
  [
    "a branch git rejects",
    (i) => (env(i, "staging").frontend = { branch: "release..1" }),
    /^environments\.staging\.frontend\.branch: "release\.\.1" is not valid; git branch names cannot contain "\.\."$/,
  ],
  [
    "a limit in minutes, said in days",
    (i) => (pipeline(i).approvalTimeoutMinutes = 20000),
    /^pipeline\.approvalTimeoutMinutes: 20000 is not valid; must be at most 10080 \(7 days\)$/,
  ],
  [
    "an infinite number",
    (i) => (services(i)[0].cpu = Number.POSITIVE_INFINITY),
    /^services\[0\]\.cpu: Infinity is not valid; must be a finite number$/,
  ],
  [
    "more tags than AWS allows with the platform's own",
    (i) => (i.tags = Object.fromEntries(Array.from({ length: 41 }, (_, n) => [`team-${n}`, "x"]))),
    /^tags: "41 tags" is not valid; has 41 tags; at most 40 \(AWS allows 50 per resource/,
  ],
  [
    "a tag the platform sets itself",
    (i) => (i.tags = { Project: "other" }),
    /^tags\.Project: "Project" is not valid; the platform sets the Project tag itself/,
  ],
  [
    "a branch with a non-breaking space",
    (i) => ((i.github as Raw).deployBranch = "a\u00a0b"),
    /^github\.deployBranch: "a\u00a0b" is not valid; must be a literal git branch name/,
  ],
  [
    "more services than a load balancer holds",
    (i) =>
      (i.services = Array.from({ length: 51 }, (_, n) => ({
        name: `svc${n}`,
        subdomain: `h${n}`,
        containerPort: 8000 + n,
        healthCheckPath: "/health",
        deployment: "blue-green",
      }))),
    /^services: "51 services" is not valid; need 102 target groups and listener rules .*AWS allows 100 per Application Load Balancer/,
  ],
  [
    "a secret that is also an environment variable",
    (i) => (services(i)[0].environment = { DATABASE_URL: "postgres://x" }),
    /^services\[0\]\.environment\.DATABASE_URL: "DATABASE_URL" is not valid; is also one of the service's secrets/,
  ],
  [
    "environment variables beyond a task definition's size",
    (i) =>
      (services(i)[0].environment = Object.fromEntries(
        Array.from({ length: 13 }, (_, n) => [`VAR_${n}`, "x".repeat(4096)]),
      )),
    /^services\[0\]\.environment: "13 variables, \d+ bytes in staging" is not valid; the task definition would exceed what ECS accepts/,
  ],
  [
    "two environments whose names collide with a service's in one account",
    (i) => {
      services(i)[0].name = "api-web";
      (i.environments as Record<string, Raw>)["staging-api"] = {
        ...structuredClone(env(i, "staging")),
        network: { vpcCidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] },
        dns: { hostedZoneId: "Z0STAGINGZONE000001", domain: "api-staging.acme-shop.example.com" },
        frontend: undefined,
      };
    },
    /^environments\.staging-api: "staging-api" is not valid; with service web makes the same resource names as staging with service api-web in account 111111111111/,
  ],
  [
    "a customer managed policy of another account",
    (i) => (services(i)[0].taskRolePolicyArns = ["arn:aws:iam::111111111111:policy/app"]),
    /^services\[0\]\.taskRolePolicyArns\[0\]: "arn:aws:iam::111111111111:policy\/app" is not valid; is a policy of account 111111111111, but the service also runs in production/,
  ],
  [
    "a tag value AWS refuses",
    (i) => (i.tags = { Owner: "team#1" }),
    /^tags\.Owner: "team#1" is not valid; tag values allow letters, digits, spaces and/,
  ],
  [
    "a CIDR with leading zeros",
    (i) => (network(i, "staging").vpcCidr = "010.010.000.000/16"),
    /^environments\.staging\.network\.vpcCidr: "010\.010\.000\.000\/16" is not valid; must be an IPv4 CIDR/,
  ],
  [
    "a user id Linux does not have",
    (i) => (services(i)[0].user = "9999999999"),
    /^services\[0\]\.user: "9999999999" is not valid; Linux user and group ids are at most 4294967294$/,
  ],
  [
    "a test listener open to half the internet",
    (i) =>
      (env(i, "staging").loadBalancer = {
        testListener: { ingressCidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
      }),
    /^environments\.staging\.loadBalancer\.testListener\.ingressCidrs\[0\]: "0\.0\.0\.0\/1" is not valid; the test listener serves releases/,
  ],
  [
    "an unknown kind of a mapping shows the kind, not the mapping",
    (i) => (i.state = { backend: "gcs" }),
    /^state\.backend: "gcs" is not valid; state\.backend must be "s3" or "hcp"$/,
  ],
  [
    "a fraction where a whole number belongs",
    (i) => (pipeline(i).approvalTimeoutMinutes = 1.5),
    /^pipeline\.approvalTimeoutMinutes: 1\.5 is not valid; must be a whole number$/,
  ],
  [
    "an unquoted version-like branch",
    (i) => ((i.github as Raw).deployBranch = 1.1),
    /^github\.deployBranch: 1\.1 is not valid; must be a string \(YAML read it as a number or boolean: quote it/,
  ],
  [
    "a value of none of a field's forms",
    (i) => (pipeline(i).imageScan = true),
    /^pipeline\.imageScan: true is not valid; it is none of the forms this field accepts/,
  ],
  [
    "the default promotion against other environment names",
    (i) => {
      const envs = i.environments as Record<string, Raw>;
      envs.stg = envs.staging;
      delete envs.staging;
      delete pipeline(i).promotion;
    },
    /^pipeline\.promotion\[0\]: "staging" is not valid; unknown environment; defined: production, stg \(pipeline\.promotion is not set, and its default is \[staging, production\]/,
  ],
  [
    "an environment's domain that is another environment's host",
    (i) => ((env(i, "staging").dns as Raw).domain = "api.acme-shop.example.com"),
    /^environments\.staging\.dns\.domain: "api\.acme-shop\.example\.com" is not valid; is also api\.acme-shop\.example\.com, a host environments\.production answers on/,
  ],
  [
    "an apply environment that differs from an environment only in case",
    (i) => ((i.github as Raw).infraApplyEnvironment = "Production"),
    /^github\.infraApplyEnvironment: "Production" is not valid; differs from the environment "production" only in case/,
  ],
  [
    "production without the load balancer's WAF",
    (i) => (env(i, "production").loadBalancer = { waf: false }),
    /^environments\.production\.loadBalancer\.waf: false is not valid; a production environment keeps AWS WAF/,
  ],
  [
    "the same availability zone twice",
    (i) => (network(i, "staging").availabilityZones = ["eu-west-1a", "eu-west-1a"]),
    /^environments\.staging\.network\.availabilityZones\[1\]: "eu-west-1a" is not valid; duplicate availability zone$/,
  ],
  [
    "a list where a mapping belongs",
    (i) => (env(i, "staging").services = []),
    /^environments\.staging\.services: \[\] is not valid; must be a mapping \(name: value\)$/,
  ],
  [
    "malformed CIDR",
    (i) => (network(i, "staging").vpcCidr = "10.10.0.0/33"),
    /^environments\.staging\.network\.vpcCidr: "10\.10\.0\.0\/33" is not valid; must be an IPv4 CIDR/,
  ],
  [
    "CIDR with host bits",
    (i) => (network(i, "staging").vpcCidr = "10.10.1.0/16"),
    /environments\.staging\.network\.vpcCidr: "10\.10\.1\.0\/16" is not valid; must be an IPv4 CIDR .*no host bits/,
  ],
  [
    "overlapping VPC CIDRs between environments",
    (i) => (network(i, "production").vpcCidr = "10.10.128.0/17"),
    /environments\.production\.network\.vpcCidr: "10\.10\.128\.0\/17" is not valid; overlaps environments\.staging\.network\.vpcCidr/,
  ],
  [
    "subnets that do not fit the VPC",
    (i) => {
      network(i, "staging").vpcCidr = "10.10.0.0/24";
      network(i, "staging").subnetNewBits = 6;
    },
    /environments\.staging\.network\.subnetNewBits: 6 is not valid; subnets would be \/30; .*at most 4/,
  ],
  [
    "too many AZs for the subnet bits",
    (i) => {
      network(i, "production").subnetNewBits = 2;
    },
    /environments\.production\.network\.subnetNewBits: 2 is not valid; 3 AZs need 6 subnets/,
  ],
  [
    "fewer than 2 AZs",
    (i) => (network(i, "staging").availabilityZones = ["eu-west-1a"]),
    /environments\.staging\.network\.availabilityZones: \["eu-west-1a"\] is not valid; at least 2 availability zones/,
  ],
  [
    "AZ of another region",
    (i) => (network(i, "staging").availabilityZones = ["eu-west-1a", "us-east-1b"]),
    /environments\.staging\.network\.availabilityZones\[1\]: "us-east-1b" is not valid; is not an availability zone of eu-west-1/,
  ],
  [
    "unsupported Fargate cpu/memory pair",
    (i) => (services(i)[0].memory = 3000),
    /services\[0\]\.memory: 3000 is not valid; cpu 256 with memory 3000 is not a Fargate size; use one of 512, 1024, 2048/,
  ],
  [
    "unsupported Fargate pair in an environment override",
    (i) => {
      const prod = env(i, "production").services as Record<string, Raw>;
      prod.api.memory = 3000;
    },
    /environments\.production\.services\.api\.memory: 3000 is not valid; cpu 512 with memory 3000 .*use 1024-4096 in steps of 1024/,
  ],
  [
    "account id not 12 digits",
    (i) => (env(i, "production").accountId = "22222222222"),
    /environments\.production\.accountId: "22222222222" is not valid; an AWS account id must be exactly 12 digits/,
  ],
  [
    "account id written as a number",
    (i) => (env(i, "production").accountId = 222222222222),
    /environments\.production\.accountId: 222222222222 is not valid; .*quoted string of 12 digits/,
  ],
  [
    "unknown region",
    (i) => (env(i, "staging").region = "eu-west-9"),
    /environments\.staging\.region: "eu-west-9" is not valid; unknown AWS region; allowed: .*eu-west-1/,
  ],
  [
    "invalid approver email",
    (i) => ((i.pipeline as Raw).approvers = ["not-an-email"]),
    /pipeline\.approvers\[0\]: "not-an-email" is not valid; must be a valid email address/,
  ],
  [
    "invalid GitHub owner",
    (i) => ((i.github as Raw).owner = "acme shop"),
    /github\.owner: "acme shop" is not valid; GitHub owners are 1-39 letters/,
  ],
  [
    "wildcard GitHub repository",
    (i) => ((i.github as Raw).appRepository = "*"),
    /github\.appRepository: "\*" is not valid; .*no wildcard/,
  ],
  [
    "duplicate service names",
    (i) => (services(i)[1].name = "api"),
    /services\[1\]\.name: "api" is not valid; duplicate service name/,
  ],
  [
    "duplicate hostnames",
    (i) => (services(i)[1].subdomain = "api"),
    /services\[1\]\.subdomain: "api" is not valid; duplicate hostname: service "api"/,
  ],
  [
    "frontend hostname taken by a service",
    (i) => (env(i, "staging").frontend = { branch: "develop", subdomain: "www" }),
    /environments\.staging\.frontend\.subdomain: "www" is not valid; duplicate hostname: service "web"/,
  ],
  [
    "domain too long for the certificate",
    (i) => ((env(i, "staging").dns as Raw).domain = `${"a".repeat(60)}.example.com`),
    /environments\.staging\.dns\.domain: "a{60}\.example\.com" is not valid; must be at most 62 characters: ACM limits/,
  ],
  [
    "log retention CloudWatch Logs does not accept",
    (i) => (env(i, "staging").logRetentionDays = 45),
    /environments\.staging\.logRetentionDays: 45 is not valid; CloudWatch Logs accepts only 1, 3, 5, 7, 14, 30, 60, 90/,
  ],
  [
    "unknown key (typo)",
    (i) => (network(i, "staging").natGateway = "single"),
    /environments\.staging\.network\.natGateway: unknown key/,
  ],
  ["unknown top-level key", (i) => (i.enviroments = {}), /^enviroments: unknown key/],
  [
    "project name too long for AWS names",
    (i) => (i.project = "a-very-long-project-name-indeed"),
    /project: "a-very-long-project-name-indeed" is not valid; project must be at most 20 characters/,
  ],
  [
    "project name with uppercase",
    (i) => (i.project = "AcmeShop"),
    /project: "AcmeShop" is not valid; project must be lowercase/,
  ],
  [
    "environment name that breaks physical names",
    (i) => {
      const envs = i.environments as Record<string, Raw>;
      envs["Prod_EU"] = envs.production;
      delete envs.production;
      (i.pipeline as Raw).promotion = ["staging", "Prod_EU"];
    },
    /environments\.Prod_EU: "Prod_EU" is not a valid key; environment names must be lowercase/,
  ],
  [
    "pipeline promoting to an unknown environment",
    (i) => ((i.pipeline as Raw).promotion = ["staging", "prod"]),
    /pipeline\.promotion\[1\]: "prod" is not valid; unknown environment; defined: staging, production/,
  ],
  [
    "production service with a single task",
    (i) => {
      const prod = env(i, "production").services as Record<string, Raw>;
      prod.web.minCount = 1;
    },
    /environments\.production\.services\.web\.minCount: 1 is not valid; production services need at least 2 tasks/,
  ],
  [
    "desired count outside min/max",
    (i) => (services(i)[0].desiredCount = 9),
    /services\[0\]\.desiredCount: 9 is not valid; must be between minCount \(1\) and maxCount \(4\)/,
  ],
  [
    "override for an unknown service",
    (i) => (
      (env(i, "staging").services as Raw | undefined) ?? (env(i, "staging").services = {}),
      ((env(i, "staging").services as Raw).worker = { cpu: 512, memory: 1024 })
    ),
    /environments\.staging\.services\.worker: "worker" is not valid; unknown service; overrides must name one of: api, web/,
  ],
  [
    "secret-like plain environment variable",
    (i) => ((services(i)[0].environment as Raw).DB_PASSWORD = "hunter2"),
    /services\[0\]\.environment\.DB_PASSWORD: "DB_PASSWORD" is not valid; looks like a secret/,
  ],
  [
    "root container user",
    (i) => (services(i)[0].user = "0"),
    /services\[0\]\.user: "0" is not valid; must be a non-root numeric/,
  ],
  ["missing required field", (i) => delete (i.github as Raw).owner, /github\.owner: is required/],
];

describe("bad config: every class of mistake gets a precise message", () => {
  it.each(CASES)("%s", (_name, edit, expected) => {
    const problems = configProblems(edit);
    expect(
      problems.some((p) => expected.test(p)),
      `got:\n${problems.join("\n")}`,
    ).toBe(true);
  });

  it("reports ten different mistakes as ten messages at once", () => {
    const names = [
      "malformed CIDR",
      "fewer than 2 AZs",
      "unsupported Fargate cpu/memory pair",
      "account id not 12 digits",
      "unknown region",
      "invalid approver email",
      "invalid GitHub owner",
      "duplicate hostnames",
      "unknown key (typo)",
      "pipeline promoting to an unknown environment",
    ];
    const ten = CASES.filter(([name]) => names.includes(name));
    expect(ten).toHaveLength(10);
    const problems = configProblems((input) => {
      for (const [, edit] of ten) edit(input);
    });
    for (const [name, , expected] of ten) {
      expect(
        problems.some((p) => expected.test(p)),
        `${name} missing from:\n${problems.join("\n")}`,
      ).toBe(true);
    }
  });

  it("names the file and counts the problems in the error message", () => {
    const dir = mkdtempSync(join(tmpdir(), "bad-config-"));
    const file = join(dir, "platform.yaml");
    writeFileSync(file, "project: x\n");
    try {
      loadConfig(file);
      expect.fail("should have thrown");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(
        new RegExp(`^${file}: \\d+ problems in the platform config:`),
      );
    }
  });

  it.each([
    ["an empty file", "", /the file is empty; expected a YAML mapping/],
    ["a list", "- a\n- b\n", /the document is a list; expected a YAML mapping/],
    ["a scalar", "just text\n", /the document is a string; expected a YAML mapping/],
    [
      "a recursive alias",
      "a: &a [*a]\n",
      /a YAML alias is used inside the value of its own anchor/,
    ],
  ])("rejects %s with one clear message", (_name, text, expected) => {
    const dir = mkdtempSync(join(tmpdir(), "malformed-"));
    const file = join(dir, "platform.yaml");
    writeFileSync(file, text);
    expect(() => loadConfig(file)).toThrow(expected);
  });

  it("reports wrong types of whole sections without follow-on noise", () => {
    const problems = configProblems((input) => {
      input.state = 5;
      input.environments = [];
      input.pipeline = null;
    });
    expect(problems).toContain('state: 5 is not valid; state.backend must be "s3" or "hcp"');
    expect(problems).toContain("environments: [] is not valid; must be a mapping (name: value)");
    expect(problems).toContain("pipeline: null is not valid; must be a mapping (key: value)");
    expect(problems.filter((p) => p.startsWith("pipeline.promotion"))).toEqual([]);
  });

  it("says a directory is not a config file", () => {
    expect(() => loadConfig(mkdtempSync(join(tmpdir(), "dir-config-")))).toThrow(
      /cannot read the config file: it is a directory, not a file/,
    );
  });

  it("rejects a missing file and malformed YAML clearly", () => {
    expect(() => loadConfig("/nonexistent/platform.yaml")).toThrow(
      /cannot read the config file: file not found/,
    );
    const dir = mkdtempSync(join(tmpdir(), "bad-yaml-"));
    const file = join(dir, "platform.yaml");
    writeFileSync(file, "project: acme\nproject: again\n");
    expect(() => loadConfig(file)).toThrow(
      /YAML: the key "project" appears twice in one mapping at line 2, column 1; keep one/,
    );
  });
});

describe("bad files: what a careless or hostile YAML file gets", () => {
  const load = (content: string | Buffer) => {
    const dir = mkdtempSync(join(tmpdir(), "yaml-"));
    const file = join(dir, "platform.yaml");
    writeFileSync(file, content);
    try {
      loadConfig(file);
      return [];
    } catch (err) {
      // Always a ConfigError, never a library's exception.
      expect(err).toBeInstanceOf(ConfigError);
      return [...(err as ConfigError).problems];
    }
  };

  it("an alias bomb (a billion laughs) is refused without expanding it", () => {
    const lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"];
    for (let i = 1; i < 12; i++) {
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
    }
    expect(load(lines.join("\n"))).toEqual([
      expect.stringMatching(/YAML aliases \(\*name\) expand to too much data: more than 100/),
    ]);
  });

  it("an alias used before its anchor names the alias", () => {
    expect(load("a: *base\nb: &base 1\n")).toEqual([
      "YAML alias *base is used before its anchor &base is set (or the anchor does not exist); define the anchor first",
    ]);
  });

  it("extreme nesting is refused, not a stack overflow", () => {
    expect(load(`a: ${"[".repeat(20000)}${"]".repeat(20000)}\n`)).toEqual([
      expect.stringMatching(/nests too deeply|nests \d+ levels deep/),
    ]);
    expect(load(`a: ${"[".repeat(40)}${"]".repeat(40)}\n`)).toEqual([
      expect.stringMatching(
        /the document nests \d+ levels deep; a platform config nests at most 32/,
      ),
    ]);
  });

  it("a tab used for indentation is one problem, not a dozen", () => {
    const problems = load("project: a\nstate:\n\tbackend: s3\n\tregion: eu-west-1\n");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^YAML syntax: .*line 3/);
  });

  it("merge keys (<<) share settings between environments, as YAML 1.1 merge", () => {
    const text = readFileSync(EXAMPLE_CONFIG_PATH, "utf8")
      .replace("  staging:\n    accountId:", "  staging: &env\n    accountId:")
      .replace(
        '  production:\n    accountId: "222222222222"',
        '  production:\n    <<: *env\n    accountId: "222222222222"',
      );
    expect(load(text)).toEqual([]);
  });

  it("a __proto__ key is refused, not silently dropped", () => {
    expect(load("project: a\ntags:\n  __proto__: x\n")).toEqual([
      'YAML: the key "__proto__" (line 3) is not a config field and cannot be read safely; remove it',
    ]);
  });

  it("several documents are one mistake, said in YAML's own terms", () => {
    expect(load("project: a\n---\nproject: b\n")).toEqual([
      'the file holds 2 YAML documents (separated by "---"); a platform config is one document',
    ]);
  });

  it("a file that is not UTF-8 is refused, not decoded into replacement characters", () => {
    expect(load(Buffer.from("project: caf\xe9\n", "latin1"))).toEqual([
      "the file is not UTF-8 text (byte 0xe9 at offset 12, line 1); save it as UTF-8",
    ]);
  });
});
