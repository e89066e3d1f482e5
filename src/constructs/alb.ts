import { suppressGuard } from "../policies/guard/suppress";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { elbLogDeliveryStatements } from "../policies/elb-log-delivery";
import { SecureBucket, type AccessLogTarget } from "./secure-bucket";

/** TLS 1.3 and 1.2 with forward-secret AEAD ciphers only. */
export const DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface AlbAccessLogsProps {
  /** A new bucket with this name receives the logs (SSE-S3: ALB logs support nothing else). */
  readonly bucketName: string;
  /** Log objects expire after this many days. @default 90 */
  readonly retentionDays?: number;
  /** S3 server access logs of the log bucket itself. @default - none */
  readonly serverAccessLogs?: AccessLogTarget;
}

export interface AlbProps {
  /** Load balancer name (32 characters at most). */
  readonly name: string;
  readonly securityGroupName: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Public subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** The account and region the ALB runs in (for the log bucket policy). */
  readonly accountId: string;
  readonly region: string;
  /** Certificate for the HTTPS listener; pass a validated one so the listener waits for it. */
  readonly certificateArn: string;
  /** Who may connect on 443 (and on 80, which only redirects). @default ["0.0.0.0/0"] */
  readonly ingressCidrs?: readonly string[];
  /**
   * An HTTPS test listener (blue/green services' new task sets answer here before production
   * traffic moves), reachable from these CIDRs only. The ALB is internet-facing: clients in the
   * VPC reach it through the NAT gateways, so their addresses (not the VPC's range) admit them.
   * @default - none
   */
  readonly testListener?: {
    readonly port: number;
    /** The VPC's NAT gateway addresses, as /32 CIDRs. */
    readonly natCidrs: readonly string[];
    /** Other sources, from config. */
    readonly ingressCidrs: readonly string[];
  };
  /** Ports the ALB may reach inside the VPC (the services' container ports). */
  readonly targetPorts: readonly number[];
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default DEFAULT_TLS_POLICY */
  readonly sslPolicy?: string;
  readonly accessLogs: AlbAccessLogsProps;
  /**
   * A records aliasing hostnames to the ALB, by a short stable key (e.g. the service name, which
   * becomes part of the Terraform address). @default - none
   */
  readonly aliases?: {
    readonly hostedZoneId: string;
    readonly hostnames: Readonly<Record<string, string>>;
  };
}

/**
 * An internet-facing Application Load Balancer: HTTPS only (HTTP answers with a permanent
 * redirect), a modern TLS policy, invalid header fields dropped, access logs to a dedicated
 * bucket, and a default action that answers 404 until services add their host rules.
 */
export class Alb extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly httpsListener: LbListener;
  readonly httpListener: LbListener;
  /** Set when `testListener` is. */
  readonly testListener?: LbListener;
  readonly logBucket: SecureBucket;
  /** By the keys of `aliases.hostnames`. */
  readonly aliasRecords: Record<string, Route53Record> = {};

  constructor(scope: Construct, id: string, props: AlbProps) {
    super(scope, id);
    if (props.targetPorts.length === 0) {
      throw new Error(`${this.node.path}: targetPorts must name at least one port`);
    }

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: props.securityGroupName,
      description: "Internet-facing ALB: HTTPS, and HTTP for the redirect only",
      vpcId: props.vpcId,
      tags: { Name: props.securityGroupName },
    });
    (props.ingressCidrs ?? ["0.0.0.0/0"]).forEach((cidr, i) => {
      for (const port of [443, 80]) {
        const rule = new VpcSecurityGroupIngressRule(this, `Ingress${port}From${i}`, {
          securityGroupId: this.securityGroup.id,
          description: port === 443 ? "HTTPS from clients" : "HTTP from clients (redirected)",
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
        if (port === 80) {
          suppressGuard(
            rule,
            "SG_NO_PUBLIC_HTTP",
            "the HTTP listener only answers with a permanent redirect to HTTPS (ALB_HTTP_LISTENER_REDIRECTS enforces it): no content is served over HTTP, and closing port 80 would break http:// links and HSTS bootstrapping",
          );
        }
      }
    });
    for (const port of [...new Set(props.targetPorts)].sort((a, b) => a - b)) {
      new VpcSecurityGroupEgressRule(this, `EgressTo${port}`, {
        securityGroupId: this.securityGroup.id,
        description: `To targets on ${port} inside the VPC`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: props.vpcCidr,
      });
    }

    // The bucket name is known, so its ARN is too (commercial partition, see AWS_REGIONS).
    const bucketArn = `arn:aws:s3:::${props.accessLogs.bucketName}`;
    this.logBucket = new SecureBucket(this, "AccessLogs", {
      bucketName: props.accessLogs.bucketName,
      expireAfterDays: props.accessLogs.retentionDays ?? 90,
      noncurrentVersionDays: 1,
      policyStatements: elbLogDeliveryStatements(bucketArn, props.accountId, props.region),
      accessLogs: props.accessLogs.serverAccessLogs,
    });

    this.loadBalancer = new Lb(this, "Resource", {
      name: props.name,
      internal: false,
      loadBalancerType: "application",
      ipAddressType: "ipv4",
      securityGroups: [this.securityGroup.id],
      subnets: [...props.subnetIds],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "defensive",
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: { bucket: this.logBucket.name, enabled: true },
      // ELB checks that it can write to the bucket when logging is turned on.
      dependsOn: [this.logBucket.policy],
    });

    this.httpListener = new LbListener(this, "Http", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [
        {
          type: "redirect",
          redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
        },
      ],
    });
    this.httpsListener = new LbListener(this, "Https", {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: props.sslPolicy ?? DEFAULT_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [
        {
          type: "fixed-response",
          fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" },
        },
      ],
    });

    if (props.testListener) {
      const { port, natCidrs, ingressCidrs } = props.testListener;
      const sources = [
        ...natCidrs.map((cidr) => ({ cidr, what: "from the VPC (its NAT gateway)" })),
        ...ingressCidrs.map((cidr) => ({ cidr, what: "from a configured range" })),
      ];
      sources.forEach(({ cidr, what }, i) => {
        new VpcSecurityGroupIngressRule(this, `IngressTest${port}From${i}`, {
          securityGroupId: this.securityGroup.id,
          description: `Blue/green test traffic ${what}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      });
      this.testListener = new LbListener(this, "Test", {
        loadBalancerArn: this.loadBalancer.arn,
        port,
        protocol: "HTTPS",
        sslPolicy: props.sslPolicy ?? DEFAULT_TLS_POLICY,
        certificateArn: props.certificateArn,
        defaultAction: [
          {
            type: "fixed-response",
            fixedResponse: {
              contentType: "text/plain",
              statusCode: "404",
              messageBody: "Not found",
            },
          },
        ],
      });
    }

    const aliases = props.aliases;
    for (const [key, hostname] of Object.entries(aliases?.hostnames ?? {})) {
      this.aliasRecords[key] = new Route53Record(this, `Alias-${key}`, {
        zoneId: aliases?.hostedZoneId ?? "",
        name: hostname,
        type: "A",
        alias: {
          name: this.loadBalancer.dnsName,
          zoneId: this.loadBalancer.zoneId,
          evaluateTargetHealth: true,
        },
      });
    }
  }
}
