import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
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

describe("WebAcl request logging", () => {
  const synthWithLogging = (logGroupName: string) =>
    Testing.synthScope((scope) => {
      new WebAcl(scope, "Waf", {
        name: "shop-production-alb",
        resourceArn: "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/x/y",
        logging: {
          logGroupName,
          kmsKeyArn: "arn:aws:kms:eu-west-1:222222222222:key/env",
          retentionDays: 365,
        },
      });
    });

  it("logs requests to an encrypted log group, with credentials redacted", () => {
    const text = synthWithLogging("aws-waf-logs-shop-production-alb");
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "aws-waf-logs-shop-production-alb",
      kms_key_id: "arn:aws:kms:eu-west-1:222222222222:key/env",
      retention_in_days: 365,
    });
    expect(text).toHaveResourceWithProperties(Wafv2WebAclLoggingConfiguration, {
      log_destination_configs: [expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn/)],
      redacted_fields: [
        { single_header: { name: "authorization" } },
        { single_header: { name: "cookie" } },
      ],
    });
  });

  it("refuses a log group name WAF would not accept", () => {
    expect(() => synthWithLogging("shop-waf")).toThrow(/must start with aws-waf-logs-/);
  });
});
