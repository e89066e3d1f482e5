import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { DnsValidatedCertificate } from "../../src/constructs/certificate";
import { resourcesOf, type StackJson } from "../helpers/synth";

function synthCertificate(domainNames: string[]): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    new DnsValidatedCertificate(scope, "Certificate", { domainNames, hostedZoneId: "Z123" });
  });
  return { text, json: JSON.parse(text) as StackJson };
}

describe("DnsValidatedCertificate", () => {
  const names = ["api.example.com", "www.example.com"];
  const { text, json } = synthCertificate(names);

  it("requests a DNS-validated certificate with the other names as SANs", () => {
    expect(text).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: "api.example.com",
      subject_alternative_names: ["www.example.com"],
      validation_method: "DNS",
      lifecycle: { create_before_destroy: true },
    });
  });

  it("writes one validation record per name into the hosted zone, keyed by the name", () => {
    const record = Object.values(resourcesOf(json, "aws_route53_record"))[0];
    expect(record.for_each).toEqual({
      "api.example.com": "api.example.com",
      "www.example.com": "www.example.com",
    });
    expect(record.zone_id).toBe("Z123");
    expect(record.name).toMatch(/domain_validation_options.*\[each\.value\]\.resource_record_name/);
    expect(record.records).toEqual([expect.stringMatching(/resource_record_value\}$/)]);
  });

  it("waits for validation on those records", () => {
    const validation = Object.values(resourcesOf(json, "aws_acm_certificate_validation"))[0];
    expect(validation.certificate_arn).toMatch(/^\$\{aws_acm_certificate\..*\.arn\}$/);
    expect(validation.validation_record_fqdns).toMatch(
      /for key, val in aws_route53_record\.[\w]+: val\.fqdn/,
    );
  });

  it("omits SANs for a single name", () => {
    const single = Object.values(
      resourcesOf(synthCertificate(["a.example.com"]).json, "aws_acm_certificate"),
    )[0];
    expect(single.subject_alternative_names).toBeUndefined();
  });

  it("rejects no names and duplicates", () => {
    expect(() => synthCertificate([])).toThrow(/at least one domain name/);
    expect(() => synthCertificate(["a.example.com", "a.example.com"])).toThrow(/duplicate/);
  });
});
