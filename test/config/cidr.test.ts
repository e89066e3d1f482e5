import { describe, expect, it } from "vitest";
import { cidrsOverlap, parseCidr, subnetLayout } from "../../src/config/cidr";

describe("CIDR arithmetic", () => {
  it("parses valid CIDRs and rejects malformed ones", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ network: 0x0a000000, prefix: 16 });
    for (const bad of ["10.0.0.0", "10.0.0.256/24", "10.0.0.0/33", "10.0.1.0/16", "ten/8"]) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it("detects overlaps in both directions", () => {
    const a = parseCidr("10.10.0.0/16")!;
    const b = parseCidr("10.10.128.0/17")!;
    const c = parseCidr("10.11.0.0/16")!;
    expect(cidrsOverlap(a, b)).toBe(true);
    expect(cidrsOverlap(b, a)).toBe(true);
    expect(cidrsOverlap(a, c)).toBe(false);
  });

  it("derives public subnets from the lower half and private from the upper half", () => {
    expect(subnetLayout("10.10.0.0/16", 4, 3)).toEqual({
      public: ["10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"],
      private: ["10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"],
    });
  });

  it("keeps existing subnets when an AZ is added", () => {
    const two = subnetLayout("10.10.0.0/16", 4, 2);
    const three = subnetLayout("10.10.0.0/16", 4, 3);
    expect(three.public.slice(0, 2)).toEqual(two.public);
    expect(three.private.slice(0, 2)).toEqual(two.private);
  });

  it("refuses layouts that do not fit", () => {
    expect(() => subnetLayout("10.10.0.0/16", 2, 3)).toThrow(/3 AZs need more than 2 new bits/);
  });
});
