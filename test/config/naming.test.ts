import { describe, expect, it } from "vitest";
import { fitName, NAME_RULES, Naming } from "../../src/config/naming";

describe("Naming", () => {
  const staging = new Naming("acme-shop", "staging");

  it("joins project, environment and component", () => {
    expect(staging.name("api", "ecsService")).toBe("acme-shop-staging-api");
    expect(new Naming("acme-shop").name("delivery")).toBe("acme-shop-delivery");
  });

  it("fits ALB and target group names into 32 characters, deterministically", () => {
    const long = new Naming("acme-commerce-shop", "production");
    const name = long.name("checkout-service", "targetGroup");
    expect(name.length).toBeLessThanOrEqual(32);
    expect(name).toBe(long.name("checkout-service", "targetGroup"));
    expect(name).toMatch(/^[a-z0-9-]+-[0-9a-f]{6}$/);
    expect(name).not.toMatch(/^-|-$|--/);
  });

  it("keeps two long names that share a prefix distinct", () => {
    const long = new Naming("acme-commerce-shop", "production");
    expect(long.name("checkout-service-a", "alb")).not.toBe(long.name("checkout-service-b", "alb"));
  });

  it("makes bucket names lowercase, 3-63 characters, with the account id", () => {
    const bucket = new Naming("acme-shop", "production").bucket("alb-access-logs", "222222222222");
    expect(bucket).toBe("acme-shop-production-alb-access-logs-222222222222");
    const longer = new Naming("acme-commerce-shop", "production").bucket(
      "static-assets-for-frontend",
      "222222222222",
    );
    expect(longer.length).toBeLessThanOrEqual(63);
    expect(longer).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
  });

  it("respects every kind's maximum length", () => {
    const long = new Naming("a".repeat(20), "b".repeat(12));
    for (const kind of Object.keys(NAME_RULES) as (keyof typeof NAME_RULES)[]) {
      const name = long.name("c".repeat(300), kind);
      expect(name.length, kind).toBeLessThanOrEqual(NAME_RULES[kind].max);
    }
  });

  it("replaces characters a kind does not allow", () => {
    expect(fitName("acme_shop/api", "alb")).toBe("acme-shop-api");
    expect(fitName("Acme-Shop", "s3Bucket")).toBe("acme-shop");
  });

  it("builds ECR repository names and KMS aliases", () => {
    expect(staging.ecrRepository("api")).toBe("acme-shop/api");
    expect(staging.kmsAlias("logs")).toBe("alias/acme-shop-staging-logs");
  });
});
