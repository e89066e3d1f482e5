import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { PlatformConfig } from "../config";
import { AccessLogBucket } from "../constructs/access-log-bucket";
import { Alb } from "../constructs/alb";
import { DnsValidatedCertificate } from "../constructs/certificate";
import { EcsCluster } from "../constructs/ecs-cluster";
import { FlowLogs } from "../constructs/flow-logs";
import { ManagedKey } from "../constructs/kms-key";
import { ServiceNamespace } from "../constructs/service-namespace";
import { Vpc } from "../constructs/vpc";
import { VpcEndpoints } from "../constructs/vpc-endpoints";
import { WebAcl } from "../constructs/waf";
import { logsKeyStatement, topicPublishersKeyStatements } from "../policies/kms-statements";
import { ENV_ACCESS_LOG_PREFIXES } from "../model/access-log-names";
import type { NetworkOutputs } from "./contracts";
import { fitName } from "../config/naming";
import { suppressGuard } from "../policies/guard/suppress";
import { EnvironmentStack } from "./environment-stack";

/** The test listener of environments that run a blue/green service, unless configured. */
export const DEFAULT_TEST_LISTENER = { port: 8443, ingressCidrs: [] } as const;

export interface NetworkStackProps {
  readonly config: PlatformConfig;
  readonly environment: string;
}

/**
 * One environment's foundation: KMS key, VPC with flow logs and endpoints, the internet-facing
 * ALB with its certificate, DNS names and optional WAF, the ECS cluster and the Cloud Map
 * namespace. The services stack of the same environment builds on `outputs`.
 */
export class NetworkStack extends EnvironmentStack {
  readonly outputs: NetworkOutputs;
  readonly key: ManagedKey;
  readonly vpc: Vpc;
  readonly alb: Alb;
  readonly accessLogs: AccessLogBucket;
  readonly cluster: EcsCluster;
  readonly namespace: ServiceNamespace;
  readonly webAcl?: WebAcl;
  readonly endpoints?: VpcEndpoints;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    const { config, environment } = props;
    super(scope, id, { config, environment });
    const { env, target } = this;
    const { accountId, region } = target;
    const naming = this.naming;

    // The environment key: log groups here and in the services stack, secrets, the alarm topic.
    this.key = new ManagedKey(this, "Key", {
      alias: naming.kmsAlias("platform"),
      administratorRoleArns: [this.ciApplyRoleArn],
      description: `${config.project} ${environment}: logs, secrets and alarm topics`,
      accountId,
      statements: [logsKeyStatement(region, accountId), ...topicPublishersKeyStatements(accountId)],
    });

    this.vpc = new Vpc(this, "Vpc", {
      name: naming.name("vpc"),
      cidr: env.network.vpcCidr,
      availabilityZones: env.network.availabilityZones,
      subnetNewBits: env.network.subnetNewBits,
      natGateways: this.model.natGateways,
    });
    new FlowLogs(this, "FlowLogs", {
      vpcId: this.vpc.vpcId,
      logGroupName: naming.name("vpc-flow-logs", "logGroup"),
      roleName: naming.name("vpc-flow-logs", "iamRole"),
      kmsKeyArn: this.key.arn,
      accountId,
      retentionDays: env.network.flowLogRetentionDays,
    });
    if (env.network.vpcEndpoints) {
      this.endpoints = new VpcEndpoints(this, "Endpoints", {
        vpcId: this.vpc.vpcId,
        vpcCidr: env.network.vpcCidr,
        region,
        subnetIds: this.vpc.privateSubnets.map((s) => s.id),
        routeTableIds: this.vpc.privateRouteTables.map((t) => t.id),
        securityGroupName: naming.name("vpc-endpoints", "securityGroup"),
      });
    }

    // Only the services answer on the ALB; the Amplify frontend has its own domain association.
    const hostnames = Object.fromEntries(
      Object.values(this.model.services).map((s) => [s.name, s.hostname]),
    );
    // One wildcard name covers every service host (`<subdomain>.<domain>`, one label each): adding
    // a service never replaces the certificate, and 30 services do not hit ACM's default quota of
    // 10 names per certificate.
    const certificate = new DnsValidatedCertificate(this, "Certificate", {
      domainNames: [`*.${env.dns.domain}`],
      hostedZoneId: env.dns.hostedZoneId,
    });
    // The environment's S3 server access-log bucket (docs/guardrails.md, S3_BUCKET_ACCESS_LOGGING).
    const buckets = this.model.buckets;
    const albLogBucketName = buckets.albLogs;
    this.accessLogs = new AccessLogBucket(this, "S3AccessLogs", {
      bucketName: buckets.accessLogs,
      accountId,
      sources: [
        { bucketName: albLogBucketName, prefix: ENV_ACCESS_LOG_PREFIXES.albLogs },
        ...(buckets.staticAssets
          ? [{ bucketName: buckets.staticAssets, prefix: ENV_ACCESS_LOG_PREFIXES.staticAssets }]
          : []),
      ],
    });
    this.alb = new Alb(this, "Alb", {
      name: naming.name("alb", "alb"),
      securityGroupName: naming.name("alb", "securityGroup"),
      vpcId: this.vpc.vpcId,
      vpcCidr: env.network.vpcCidr,
      subnetIds: this.vpc.publicSubnets.map((s) => s.id),
      accountId,
      region,
      certificateArn: certificate.certificateArn,
      ingressCidrs: env.loadBalancer.ingressCidrs,
      testListener: config.services.some((s) => s.deployment === "blue-green")
        ? {
            ...(env.loadBalancer.testListener ?? DEFAULT_TEST_LISTENER),
            natCidrs: this.vpc.natGateways.map((nat) => `${nat.publicIp}/32`),
          }
        : undefined,
      targetPorts: Object.values(this.model.services).map((s) => s.effective.containerPort),
      deletionProtection: this.model.albDeletionProtection,
      accessLogs: {
        bucketName: albLogBucketName,
        retentionDays: env.loadBalancer.accessLogRetentionDays,
        serverAccessLogs: this.accessLogs.target(ENV_ACCESS_LOG_PREFIXES.albLogs),
      },
      aliases: { hostedZoneId: env.dns.hostedZoneId, hostnames },
    });
    // Outside production a switched-off protection is a recorded choice; in production it stays
    // an error finding (synth fails).
    if (!env.production && !this.model.albDeletionProtection) {
      suppressGuard(
        this.alb.loadBalancer,
        "ALB_DELETION_PROTECTION",
        `switched off in config (environments.${environment}.loadBalancer.deletionProtection: false), so the environment can be torn down without a change`,
      );
    }
    if (!env.production && !this.model.waf) {
      suppressGuard(
        this.alb.loadBalancer,
        "ALB_WAF",
        env.loadBalancer.waf === false
          ? `switched off in config (environments.${environment}.loadBalancer.waf: false)`
          : `a non-production environment: WAF is on by default in production only (a web ACL and its managed rule groups cost per month); turn it on with environments.${environment}.loadBalancer.waf: true`,
      );
    }
    if (this.model.waf) {
      this.webAcl = new WebAcl(this, "Waf", {
        name: naming.name("alb", "wafAcl"),
        resourceArn: this.alb.loadBalancer.arn,
        logging: {
          logGroupName: fitName(`aws-waf-logs-${naming.name("alb")}`, "logGroup"),
          kmsKeyArn: this.key.arn,
          retentionDays: env.logRetentionDays,
        },
      });
    }

    this.cluster = new EcsCluster(this, "Cluster", {
      name: naming.name("cluster", "ecsCluster"),
      capacity: this.model.capacity,
      kmsKeyArn: this.key.arn,
      execLogging: env.ecsExec
        ? {
            logGroupName: naming.name("ecs-exec", "logGroup"),
            retentionDays: env.logRetentionDays,
          }
        : undefined,
    });
    this.namespace = new ServiceNamespace(this, "Namespace", {
      name: this.model.namespace,
      vpcId: this.vpc.vpcId,
      description: `${config.project} ${environment} service discovery`,
    });

    const lb = this.alb.loadBalancer;
    this.outputs = {
      environment,
      vpcId: this.vpc.vpcId,
      vpcCidr: env.network.vpcCidr,
      privateSubnetIds: this.vpc.privateSubnets.map((s) => s.id),
      albArnSuffix: lb.arnSuffix,
      albSecurityGroupId: this.alb.securityGroup.id,
      httpsListenerArn: this.alb.httpsListener.arn,
      testListenerArn: this.alb.testListener?.arn,
      clusterName: this.cluster.name,
      clusterArn: this.cluster.arn,
      namespaceId: this.namespace.namespaceId,
      kmsKeyArn: this.key.arn,
      ecsExecLogGroupArn: this.cluster.execLogGroup?.arn,
    };

    // For operators (`cdktf output`); other stacks use `outputs`.
    new TerraformOutput(this, "alb_dns_name", { value: lb.dnsName });
    new TerraformOutput(this, "cluster_name", { value: this.cluster.name });
    new TerraformOutput(this, "service_urls", {
      value: Object.fromEntries(Object.entries(hostnames).map(([k, h]) => [k, `https://${h}`])),
    });
  }
}
