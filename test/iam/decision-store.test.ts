import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DecisionStore } from "../../src/iam/decision-store";

/*
 * Decisions kept between runs (src/iam/decision-store.ts): a later run (a new store on the same
 * file) gets what an earlier one decided for the very same request, and nothing for any other;
 * test workers writing side by side both keep theirs; a damaged file costs only the speed-up.
 */

const file = () => join(mkdtempSync(join(tmpdir(), "decisions-")), "store.json");
const request = (resource: string) =>
  JSON.stringify({
    principal: "arn:aws:iam::111111111111:role/r",
    action: "s3:GetObject",
    resource,
  });

describe("decision store", () => {
  it("answers a later run for the same request only", () => {
    const path = file();
    const first = new DecisionStore(path);
    first.set(DecisionStore.key(request("arn:aws:s3:::a/*")), "Allowed");
    first.flush();

    const later = new DecisionStore(path);
    expect(later.get(DecisionStore.key(request("arn:aws:s3:::a/*")))).toBe("Allowed");
    expect(later.get(DecisionStore.key(request("arn:aws:s3:::b/*")))).toBeUndefined();
  });

  it("keeps what two workers wrote side by side", () => {
    const path = file();
    const one = new DecisionStore(path);
    const two = new DecisionStore(path);
    one.set("k1", "Allowed");
    two.set("k2", "ExplicitlyDenied");
    one.flush();
    two.flush();
    const later = new DecisionStore(path);
    expect([later.get("k1"), later.get("k2")]).toEqual(["Allowed", "ExplicitlyDenied"]);
  });

  it("ignores a damaged file and values that are not decisions", () => {
    const broken = file();
    writeFileSync(broken, "{not json");
    expect(new DecisionStore(broken).get("k")).toBeUndefined();

    const odd = file();
    writeFileSync(odd, JSON.stringify({ k: "Maybe", j: "ImplicitlyDenied" }));
    const store = new DecisionStore(odd);
    expect(store.get("k")).toBeUndefined();
    expect(store.get("j")).toBe("ImplicitlyDenied");
  });

  it("writes nothing when turned off", () => {
    const off = new DecisionStore(false);
    off.set("k", "Allowed");
    off.flush();
    expect(off.get("k")).toBeUndefined();
  });

  it("stores hashes, not the policies of the requests", () => {
    const path = file();
    const store = new DecisionStore(path);
    store.set(DecisionStore.key(request("arn:aws:s3:::secret-bucket/*")), "Allowed");
    store.flush();
    expect(readFileSync(path, "utf8")).not.toContain("secret-bucket");
  });
});
