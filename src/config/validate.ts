import { describeFargateMemory, isValidFargateSize } from "./aws-limits";
import { cidrsOverlap, parseCidr } from "./cidr";
import { environmentIssues } from "./validate-environments";
import { serviceIssues } from "./validate-services";

/** A problem found by a cross-field rule: where, the value there, and what is wrong. */
export interface CrossFieldIssue {
  readonly path: (string | number)[];
  readonly input: unknown;
  readonly message: string;
}

/**
 * Cross-field rules the per-field schema cannot express. Each section is parsed on its own first
 * (see `looseView`), so these rules still run, and every problem is reported in one pass, when
 * some unrelated part of the config failed its schema.
 */
export function crossFieldIssues(config: LoosePlatform): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const report: Report = (path, input, message) => issues.push({ path, input, message });

  const services = config.services.filter((s): s is SizingShape & Named => s !== undefined);
  const serviceNames = new Set<string>();
  const subdomains = new Map<string, string>();

  config.services.forEach((service, i) => {
    if (!service) return;
    if (serviceNames.has(service.name)) {
      report(["services", i, "name"], service.name, "duplicate service name; names must be unique");
    }
    serviceNames.add(service.name);
    const owner = subdomains.get(service.subdomain);
    if (owner !== undefined) {
      report(
        ["services", i, "subdomain"],
        service.subdomain,
        `duplicate hostname: service "${owner}" already answers on this subdomain`,
      );
    } else {
      subdomains.set(service.subdomain, service.name);
    }
    checkSizing(report, ["services", i], service);
    if (service.blueGreen !== undefined && service.deployment !== "blue-green") {
      report(
        ["services", i, "blueGreen"],
        service.blueGreen,
        `applies to blue/green services only, and this service deploys "${service.deployment ?? "rolling"}"; set deployment: blue-green or remove blueGreen`,
      );
    }
  });

  for (const [envName, env] of config.environments) {
    if (!env) continue;
    const at = (...rest: (string | number)[]) => ["environments", envName, ...rest];
    checkNetwork(report, at, env);

    for (const [name, override] of Object.entries(env.services ?? {})) {
      const service = services.find((s) => s.name === name);
      if (!service) {
        if (config.servicesComplete) {
          report(
            at("services", name),
            name,
            `unknown service; overrides must name one of: ${[...serviceNames].join(", ") || "(none)"}`,
          );
        }
        continue;
      }
      checkSizing(
        report,
        at("services", name),
        { ...service, ...stripUndefined(override) },
        override,
      );
    }

    if (env.production) {
      for (const service of services) {
        const effective = { ...service, ...stripUndefined(env.services?.[service.name] ?? {}) };
        if (effective.minCount < 2) {
          report(
            at("services", service.name, "minCount"),
            effective.minCount,
            "production services need at least 2 tasks spread across AZs; set minCount >= 2",
          );
        }
      }
    }

    const frontendLabel = env.frontend?.subdomain;
    if (frontendLabel !== undefined && subdomains.has(frontendLabel)) {
      report(
        at("frontend", "subdomain"),
        frontendLabel,
        `duplicate hostname: service "${subdomains.get(frontendLabel)}" already answers on this subdomain`,
      );
    }
    if (env.frontend && config.github && !config.github.frontendRepository) {
      report(at("frontend"), env.frontend, "needs github.frontendRepository to be set");
    }
    if (env.frontend && !config.hasFrontendSection) {
      report(at("frontend"), env.frontend, "needs the top-level frontend section");
    }
  }

  checkVpcOverlaps(report, config.environments);
  checkPromotion(report, config);
  issues.push(...environmentIssues(config), ...serviceIssues(config));

  const reviewers = config.github?.applyReviewers;
  const reviewerCount = (reviewers?.teams?.length ?? 0) + (reviewers?.users?.length ?? 0);
  if (config.github && reviewerCount === 0 && config.github.allowUnreviewedApply !== true) {
    report(
      ["github", "applyReviewers"],
      reviewers,
      "needs at least one team or user: they are the required reviewers of the apply environment, the only gate before CI applies a change (set github.allowUnreviewedApply: true to opt out deliberately)",
    );
  }
  if (reviewerCount > 6) {
    report(
      ["github", "applyReviewers"],
      reviewers,
      `names ${reviewerCount} reviewers; GitHub allows at most 6 teams and users per environment`,
    );
  }
  const applyEnvironment = config.github?.infraApplyEnvironment;
  const caseTwin = config.environmentNames.find(
    (name) => name !== applyEnvironment && name.toLowerCase() === applyEnvironment?.toLowerCase(),
  );
  if (applyEnvironment && caseTwin) {
    report(
      ["github", "infraApplyEnvironment"],
      applyEnvironment,
      `differs from the environment "${caseTwin}" only in case; GitHub environment names ignore case, so both would be one environment managed twice (with and without the required reviewers): write "${caseTwin}"`,
    );
  }
  if (config.github?.subjectFormat === "immutable" && !config.github.ids) {
    report(
      ["github", "ids"],
      undefined,
      'subjectFormat "immutable" needs github.ids (owner, appRepository, infraRepository numeric ids)',
    );
  }
  return issues;
}

type Report = (path: (string | number)[], input: unknown, message: string) => void;

interface SizingShape {
  cpu: number;
  memory: number;
  desiredCount: number;
  minCount: number;
  maxCount: number;
}

export interface EnvironmentShape {
  /** Undefined where the environment's region failed its own schema. */
  region?: string;
  accountId?: string;
  deployRoleArn?: string;
  dns?: { hostedZoneId: string; domain: string };
  loadBalancer?: { waf?: boolean; deletionProtection?: boolean };
  production: boolean;
  network?: { vpcCidr: string; availabilityZones: string[]; subnetNewBits: number };
  services?: Record<string, Partial<SizingShape> & { environment?: Record<string, string> }>;
  frontend?: { subdomain: string };
}

interface Named {
  name: string;
  subdomain: string;
  deployment?: string;
  blueGreen?: unknown;
  secrets?: string[];
  environment?: Record<string, string>;
  taskRolePolicyArns?: string[];
}

/**
 * The parts of the config these rules read; a section that failed its own schema is undefined
 * and the rules that need it are skipped (its schema error is already reported).
 */
export interface LoosePlatform {
  services: ((SizingShape & Named) | undefined)[];
  /** False when some service failed its schema, so an unknown override name may be a false alarm. */
  servicesComplete: boolean;
  environments: [string, EnvironmentShape | undefined][];
  environmentNames: string[];
  promotion?: string[];
  /** True when the config does not write pipeline.promotion (the default list applies). */
  promotionDefaulted?: boolean;
  /** `pipeline.tooling`, when set. */
  tooling?: { accountId: string; region: string };
  github?: {
    subjectFormat?: string;
    ids?: unknown;
    frontendRepository?: string;
    applyReviewers?: { teams?: string[]; users?: string[] };
    allowUnreviewedApply?: boolean;
    infraApplyEnvironment?: string;
  };
  hasFrontendSection: boolean;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkSizing(
  report: Report,
  path: (string | number)[],
  sizing: SizingShape,
  written: Partial<SizingShape> = sizing,
): void {
  // An override is checked only for what it changes, and the message points at the field the
  // user wrote: an override that only changes cpu is the culprit, not the inherited memory.
  const override = written !== sizing;
  const changesSize = !override || written.cpu !== undefined || written.memory !== undefined;
  const changesCounts =
    !override ||
    written.minCount !== undefined ||
    written.maxCount !== undefined ||
    written.desiredCount !== undefined;
  const field = written.memory !== undefined || written.cpu === undefined ? "memory" : "cpu";
  if (changesSize && !isValidFargateSize(sizing.cpu, sizing.memory)) {
    report(
      [...path, field],
      field === "memory" ? sizing.memory : sizing.cpu,
      `cpu ${sizing.cpu} with memory ${sizing.memory} is not a Fargate size; ${describeFargateMemory(sizing.cpu)}`,
    );
  }
  if (!changesCounts) return;
  if (sizing.minCount > sizing.maxCount) {
    report([...path, "minCount"], sizing.minCount, `must not exceed maxCount (${sizing.maxCount})`);
  }
  if (sizing.desiredCount < sizing.minCount || sizing.desiredCount > sizing.maxCount) {
    report(
      [...path, "desiredCount"],
      sizing.desiredCount,
      `must be between minCount (${sizing.minCount}) and maxCount (${sizing.maxCount})`,
    );
  }
}

function checkNetwork(
  report: Report,
  at: (...rest: (string | number)[]) => (string | number)[],
  env: EnvironmentShape,
): void {
  const network = env.network;
  if (!network) return;
  const azs = network.availabilityZones;
  const region = env.region;
  azs.forEach((az, i) => {
    if (region === undefined) return;
    if (!az.startsWith(region) || !/^[a-z]$/.test(az.slice(region.length))) {
      report(
        at("network", "availabilityZones", i),
        az,
        `is not an availability zone of ${region}; use ${region}a, ${region}b, ...`,
      );
    }
    if (azs.indexOf(az) !== i) {
      report(at("network", "availabilityZones", i), az, "duplicate availability zone");
    }
  });
  const vpc = parseCidr(network.vpcCidr);
  if (!vpc) return;
  if (vpc.prefix < 16 || vpc.prefix > 24) {
    report(
      at("network", "vpcCidr"),
      network.vpcCidr,
      "VPC CIDRs must be /16 to /24 (AWS allows /16-/28; smaller leaves no room for subnets)",
    );
    return;
  }
  const subnetPrefix = vpc.prefix + network.subnetNewBits;
  if (subnetPrefix > 28) {
    report(
      at("network", "subnetNewBits"),
      network.subnetNewBits,
      `subnets would be /${subnetPrefix}; AWS subnets must be /28 or larger, use at most ${28 - vpc.prefix}`,
    );
  }
  const perHalf = 2 ** (network.subnetNewBits - 1);
  if (azs.length > perHalf) {
    report(
      at("network", "subnetNewBits"),
      network.subnetNewBits,
      `${azs.length} AZs need ${azs.length * 2} subnets but ${network.vpcCidr} split with ${network.subnetNewBits} new bits fits ${perHalf} public + ${perHalf} private; raise subnetNewBits`,
    );
  }
}

function checkVpcOverlaps(
  report: Report,
  envEntries: [string, EnvironmentShape | undefined][],
): void {
  const seen: [string, string][] = [];
  for (const [name, env] of envEntries) {
    if (!env?.network) continue;
    const mine = parseCidr(env.network.vpcCidr);
    if (!mine) continue;
    for (const [otherName, otherCidr] of seen) {
      const other = parseCidr(otherCidr);
      if (other && cidrsOverlap(mine, other)) {
        report(
          ["environments", name, "network", "vpcCidr"],
          env.network.vpcCidr,
          `overlaps environments.${otherName}.network.vpcCidr (${otherCidr}); VPCs must not overlap so they can be peered`,
        );
      }
    }
    seen.push([name, env.network.vpcCidr]);
  }
}

function checkPromotion(report: Report, config: LoosePlatform): void {
  const names = config.environmentNames;
  const promotion = config.promotion ?? [];
  promotion.forEach((env, i) => {
    if (!names.includes(env)) {
      report(
        ["pipeline", "promotion", i],
        env,
        `unknown environment; defined: ${names.join(", ")}` +
          (config.promotionDefaulted
            ? ` (pipeline.promotion is not set, and its default is [${promotion.join(", ")}]: set it to your environments in release order)`
            : ""),
      );
    }
    if (promotion.indexOf(env) !== i) {
      report(["pipeline", "promotion", i], env, "environment listed twice");
    }
  });
}
