import type { CrossFieldIssue, EnvironmentShape, LoosePlatform } from "./validate";

type Report = (path: (string | number)[], input: unknown, message: string) => void;

/*
 * Rules across environments and the pipeline that AWS (or the release process) enforces only at
 * apply time or on the first release: here they fail validation, before any construct exists.
 */

export function environmentIssues(config: LoosePlatform): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const report: Report = (path, input, message) => issues.push({ path, input, message });
  checkDomains(
    report,
    config.environments,
    config.services.flatMap((s) => (s ? [s.subdomain] : [])),
  );
  checkAccountsOfArns(report, config.environments);
  checkPipelineRegions(report, config);
  checkProductionProtection(report, config.environments);
  checkPromotionOrder(report, config);
  return issues;
}

/**
 * Two environments on one domain would ask for the same certificate names and alias records (the
 * second apply overwrites the first's records); a hosted zone belongs to one account, and the
 * environment's provider in another account cannot write to it.
 */
function checkDomains(
  report: Report,
  envs: [string, EnvironmentShape | undefined][],
  hosts: readonly string[],
): void {
  // The names each environment answers on under its domain: a service's or the frontend's.
  for (const [name, env] of envs) {
    const domain = env?.dns?.domain;
    if (!domain) continue;
    for (const [otherName, other] of envs) {
      const otherDomain = other?.dns?.domain;
      if (otherName === name || !otherDomain) continue;
      const labels = [...hosts, ...(other?.frontend?.subdomain ? [other.frontend.subdomain] : [])];
      const host = labels.find((label) => `${label}.${otherDomain}` === domain);
      if (host) {
        report(
          ["environments", name, "dns", "domain"],
          domain,
          `is also ${host}.${otherDomain}, a host environments.${otherName} answers on; Route 53 cannot hold both its record and this environment's delegation: pick a domain that no other environment's host names`,
        );
      }
    }
  }
  const domains = new Map<string, string>();
  const zones = new Map<string, { env: string; accountId?: string }>();
  for (const [name, env] of envs) {
    const dns = env?.dns;
    if (!dns) continue;
    const domainOwner = domains.get(dns.domain);
    if (domainOwner !== undefined) {
      report(
        ["environments", name, "dns", "domain"],
        dns.domain,
        `environments.${domainOwner} already uses this domain; each environment needs its own (its hostnames and certificate are made from it)`,
      );
    } else {
      domains.set(dns.domain, name);
    }
    const zoneOwner = zones.get(dns.hostedZoneId);
    if (zoneOwner && zoneOwner.accountId !== env.accountId) {
      report(
        ["environments", name, "dns", "hostedZoneId"],
        dns.hostedZoneId,
        `is environments.${zoneOwner.env}'s hosted zone, in account ${zoneOwner.accountId}; a hosted zone belongs to one account, and this environment (account ${env.accountId}) cannot write its records there: delegate a zone for ${dns.domain} in ${env.accountId}`,
      );
    } else if (!zoneOwner) {
      zones.set(dns.hostedZoneId, { env: name, accountId: env.accountId });
    }
  }
}

/** An ARN that names an account must name the environment's own. */
function checkAccountsOfArns(report: Report, envs: [string, EnvironmentShape | undefined][]): void {
  for (const [name, env] of envs) {
    if (!env?.deployRoleArn || !env.accountId) continue;
    const account = /^arn:aws:iam::(\d{12}):/.exec(env.deployRoleArn)?.[1];
    if (account && account !== env.accountId) {
      report(
        ["environments", name, "deployRoleArn"],
        env.deployRoleArn,
        `is a role in account ${account}, but the environment is in ${env.accountId}; name the role Terraform assumes in ${env.accountId}`,
      );
    }
  }
}

/**
 * Production keeps its load balancer's WAF and deletion protection: the guard refuses a
 * production ALB without them (ALB_WAF, ALB_DELETION_PROTECTION), so say it here, in the
 * config's terms, instead of failing synth after every stack is built.
 */
function checkProductionProtection(
  report: Report,
  envs: [string, EnvironmentShape | undefined][],
): void {
  for (const [name, env] of envs) {
    if (!env?.production) continue;
    for (const [field, what] of [
      ["waf", "AWS WAF in front of its load balancer"],
      ["deletionProtection", "deletion protection on its load balancer"],
    ] as const) {
      if (env.loadBalancer?.[field] === false) {
        report(
          ["environments", name, "loadBalancer", field],
          false,
          `a production environment keeps ${what} (guard rule ${field === "waf" ? "ALB_WAF" : "ALB_DELETION_PROTECTION"}); remove the setting, or mark the environment production: false`,
        );
      }
    }
  }
}

/** Cross-region actions need an artifact store per region, which the platform does not create. */
function checkPipelineRegions(report: Report, config: LoosePlatform): void {
  const promotion = config.promotion ?? [];
  const byName = new Map(config.environments);
  const toolingRegion = config.tooling?.region ?? byName.get(promotion[0])?.region;
  if (!toolingRegion) return;
  const where = config.tooling ? "pipeline.tooling.region" : `environments.${promotion[0]}.region`;
  for (const name of promotion) {
    const env = byName.get(name);
    if (!env?.region || env.region === toolingRegion) continue;
    report(
      ["environments", name, "region"],
      env.region,
      `the pipeline runs in ${toolingRegion} (${where}) and deploys only there: cross-region deploy actions need an artifact store in each region, which this platform does not create; use ${toolingRegion}`,
    );
  }
}

/**
 * The release is tested in every environment before the last and approved before the last: a
 * production environment anywhere else would get untested or unapproved releases.
 */
function checkPromotionOrder(report: Report, config: LoosePlatform): void {
  const promotion = config.promotion ?? [];
  const byName = new Map(config.environments);
  promotion.forEach((name, i) => {
    if (!byName.get(name)?.production) return;
    if (i === 0) {
      report(
        ["pipeline", "promotion", i],
        name,
        "is a production environment first in the promotion order: releases would reach it before being tested anywhere; list a tested environment first",
      );
    } else if (i !== promotion.length - 1) {
      report(
        ["pipeline", "promotion", i],
        name,
        `is a production environment before ${promotion[promotion.length - 1]}: only the last environment waits for the approval, so releases would reach ${name} unapproved; put it last`,
      );
    }
  });
}
