import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { WebAcl } from "../../src/constructs/waf";
import { resourcesOf, type StackJson } from "../helpers/synth";

describe("WebAcl", () => {
  const alb = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/x/1";
  const text = Testing.synthScope((scope) => {
    new WebAcl(scope, "Waf", { name: "shop-production-alb", resourceArn: alb });
  });
  const acl = Object.values(resourcesOf(JSON.parse(text) as StackJson, "aws_wafv2_web_acl"))[0];

  it("is a regional ACL that allows by default", () => {
    expect(acl).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
  });

  it("runs the AWS managed rule groups with their own actions", () => {
    const rules = acl.rule as Record<string, unknown>[];
    expect(
      rules.map(
        (r) => (r.statement as Record<string, Record<string, string>>).managed_rule_group_statement,
      ),
    ).toEqual([
      { name: "AWSManagedRulesCommonRuleSet", vendor_name: "AWS" },
      { name: "AWSManagedRulesKnownBadInputsRuleSet", vendor_name: "AWS" },
      { name: "AWSManagedRulesAmazonIpReputationList", vendor_name: "AWS" },
    ]);
    expect(rules.every((r) => JSON.stringify(r.override_action) === '{"none":{}}')).toBe(true);
    expect(rules.map((r) => r.priority)).toEqual([0, 1, 2]);
  });

  it("is associated with the load balancer", () => {
    expect(text).toHaveResourceWithProperties(Wafv2WebAclAssociation, { resource_arn: alb });
  });
});
