import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { PlatformConfigInput } from "../src/config";

const EXAMPLE = join(__dirname, "..", "config", "platform.yaml");
const AZ_LETTERS = ["a", "b", "c"];

/**
 * The example config grown to `services` services and `environments` environments (the last one
 * is production, the first staging, the others `qa1`, `qa2`, ...), for benchmarks and scale tests.
 */
export function scaledConfig(services: number, environments: number): PlatformConfigInput {
  const base = parse(readFileSync(EXAMPLE, "utf8")) as PlatformConfigInput;
  const template = base.services[0];
  base.services = Array.from({ length: services }, (_, i) => ({
    ...template,
    name: `svc${String(i + 1).padStart(2, "0")}`,
    subdomain: `svc${String(i + 1).padStart(2, "0")}`,
    secrets: ["DATABASE_URL"],
  }));
  const names = Array.from({ length: environments }, (_, i) =>
    i === 0 ? "staging" : i === environments - 1 ? "production" : `qa${i}`,
  );
  const staging = base.environments.staging;
  const production = base.environments.production;
  base.environments = Object.fromEntries(
    names.map((name, i) => {
      const source = name === "production" ? production : staging;
      return [
        name,
        {
          ...source,
          frontend: undefined,
          network: {
            ...source.network,
            vpcCidr: `10.${10 + i}.0.0/16`,
            availabilityZones: AZ_LETTERS.slice(0, name === "production" ? 3 : 2).map(
              (l) => `${source.region}${l}`,
            ),
          },
          dns: { ...source.dns, domain: `${name}.acme-shop.example.com` },
          services:
            name === "production"
              ? Object.fromEntries(
                  base.services.map((s) => [s.name, { desiredCount: 2, minCount: 2, maxCount: 6 }]),
                )
              : {},
        },
      ];
    }),
  );
  base.pipeline = { ...base.pipeline, promotion: [names[0], names[names.length - 1]] };
  return base;
}
