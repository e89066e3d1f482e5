import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
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
  /** Request logs to a CloudWatch log group. @default - no request logging */
  readonly logging?: WebAclLoggingProps;
}

export interface WebAclLoggingProps {
  /** Must start with `aws-waf-logs-` (a WAF requirement). */
  readonly logGroupName: string;
  readonly kmsKeyArn: string;
  readonly retentionDays: number;
}

/** Headers WAF must not write to the logs: they carry credentials and session tokens. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

/**
 * A regional AWS WAF web ACL that allows by default and blocks what the AWS managed rule groups
 * match, associated with an ALB. Metrics and sampled requests are on for every rule.
 */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  /** Where request logs go, when logging is on. */
  logGroup?: CloudwatchLogGroup;

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
    if (props.logging) this.enableLogging(props.logging);
  }

  private enableLogging(logging: WebAclLoggingProps): void {
    if (!logging.logGroupName.startsWith("aws-waf-logs-")) {
      throw new Error(`${this.node.path}: WAF log group names must start with aws-waf-logs-`);
    }
    this.logGroup = new CloudwatchLogGroup(this, "Logs", {
      name: logging.logGroupName,
      retentionInDays: logging.retentionDays,
      kmsKeyId: logging.kmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "Logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
    });
  }
}
