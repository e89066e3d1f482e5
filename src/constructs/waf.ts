import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Construct } from "constructs";

/** AWS managed rule groups evaluated in this order. */
export const DEFAULT_MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
] as const;

export interface WebAclProps {
  /** Web ACL name (also the CloudWatch metric name prefix). */
  readonly name: string;
  /** The regional resource (an ALB) the ACL protects. */
  readonly resourceArn: string;
  /** AWS managed rule groups (vendor AWS). @default DEFAULT_MANAGED_RULE_GROUPS */
  readonly managedRuleGroups?: readonly string[];
}

/**
 * A regional AWS WAF web ACL that allows by default and blocks what the AWS managed rule groups
 * match, associated with an ALB. Metrics and sampled requests are on for every rule.
 */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const groups = props.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    this.webAcl = new Wafv2WebAcl(this, "Resource", {
      name: props.name,
      description: "AWS managed rules in front of the load balancer",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rule: groups.map((group, priority) => ({
        name: group,
        priority,
        // "none" keeps each rule group's own actions (block); "count" would only observe.
        overrideAction: { none: {} },
        // The provider types `statement` loosely, so it is written in Terraform's snake_case.
        statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
        visibilityConfig: visibility(`${props.name}-${group}`),
      })),
    });
    new Wafv2WebAclAssociation(this, "Association", {
      resourceArn: props.resourceArn,
      webAclArn: this.webAcl.arn,
    });
  }
}
