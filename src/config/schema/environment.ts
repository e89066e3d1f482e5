import { z } from "zod";
import {
  accountId,
  cidr,
  dnsLabel,
  domainName,
  email,
  hostedZoneId,
  logRetentionDays,
  region,
  roleArn,
  distinctList,
  gitBranch,
} from "./primitives";
import { serviceOverrideSchema } from "./service";

export const networkSchema = z.strictObject({
  /** The VPC's IPv4 range. */
  vpcCidr: cidr,
  /** Availability zone names in the environment's region; at least 2. */
  availabilityZones: z
    .array(
      z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, {
        error: "must be an availability zone name like eu-west-1a",
      }),
    )
    .min(2, { error: "at least 2 availability zones are required for high availability" })
    .max(6),
  /**
   * Bits added to the VPC prefix for each subnet; public subnets use the lower half of the
   * numbers, private subnets the upper half. @default 4
   */
  subnetNewBits: z.number().int().min(2).max(12).default(4),
  /** `per-az` (one NAT gateway per AZ) or `single`. @default - "per-az" in production, else "single" */
  natGateways: z.enum(["per-az", "single"]).optional(),
  /** S3 gateway and ECR/Logs/Secrets Manager/STS interface endpoints. @default true */
  vpcEndpoints: z.boolean().default(true),
  /** Flow log retention in days (a value CloudWatch Logs accepts). @default 365 */
  flowLogRetentionDays: logRetentionDays.default(365),
});

export const dnsSchema = z.strictObject({
  /** Route 53 hosted zone of `domain`: service records and certificate validation go there. */
  hostedZoneId,
  /**
   * The environment's domain; service hostnames are `<subdomain>.<domain>`, served with one
   * `*.<domain>` certificate (ACM allows 64 characters in a certificate's domain name).
   */
  domain: domainName.max(62, {
    error: "must be at most 62 characters: ACM limits the certificate name *.<domain> to 64",
  }),
});

export const loadBalancerSchema = z.strictObject({
  /**
   * CIDRs allowed to reach the ALB on 443 (and 80 for the redirect). At most 25: each is two
   * rules of the ALB's security group, which AWS limits to 60 inbound rules (the test listener
   * takes the other 10). @default ["0.0.0.0/0"]
   */
  ingressCidrs: distinctList(cidr, "CIDR").min(1).max(25).default(["0.0.0.0/0"]),
  /** AWS WAF web ACL with AWS managed rules. @default - true in production, else false */
  waf: z.boolean().optional(),
  /** ALB deletion protection. @default - true in every environment */
  deletionProtection: z.boolean().optional(),
  /** Days ALB access logs are kept. @default 90 */
  accessLogRetentionDays: z.number().int().min(1).max(3650).default(90),
  /**
   * The HTTPS test listener that blue/green services' new task sets answer on before production
   * traffic moves (same hostnames, this port). Created only where a blue/green service runs.
   * Reachable from the VPC and from `ingressCidrs` only: not open to the internet by default.
   * @default - port 8443, no CIDRs beyond the VPC
   */
  testListener: z
    .strictObject({
      /** Listener port; not 80 or 443 (the public listeners). @default 8443 */
      port: z
        .number()
        .int()
        .min(1)
        .max(65535)
        .refine((p) => p !== 80 && p !== 443, {
          error: "80 and 443 are the public listeners; pick another port, e.g. 8443",
        })
        .default(8443),
      /** CIDRs besides the VPC's that may reach it, e.g. the office VPN; at most 9. @default [] */
      ingressCidrs: distinctList(
        cidr.refine((c) => Number(c.split("/")[1]) >= 8, {
          error:
            "the test listener serves releases before their production traffic moves (and before approval in production); admit known ranges only",
        }),
        "CIDR",
      )
        .max(9)
        .default([]),
    })
    .optional(),
});

export const capacitySchema = z
  .strictObject({
    /** Tasks always placed on on-demand Fargate before weights apply. */
    fargateBase: z.number().int().min(0).max(100000),
    /** Relative share of the remaining tasks on on-demand Fargate. */
    fargateWeight: z.number().int().min(0).max(1000),
    /** Relative share of the remaining tasks on Fargate Spot. */
    fargateSpotWeight: z.number().int().min(0).max(1000),
  })
  .refine((c) => c.fargateWeight + c.fargateSpotWeight > 0, {
    error: "fargateWeight or fargateSpotWeight must be above 0, or ECS can place no task",
  });

export const frontendEnvironmentSchema = z.strictObject({
  /** Branch of the frontend repository Amplify deploys to this environment. */
  branch: gitBranch,
  /** Host label under the environment's domain. @default "app" */
  subdomain: dnsLabel.default("app"),
});

export const environmentSchema = z.strictObject({
  /** AWS account that holds this environment. */
  accountId,
  /** AWS region of this environment. */
  region,
  /** Role Terraform assumes in this account. @default - the caller's credentials */
  deployRoleArn: roleArn.optional(),
  /** Marks the production environment: stricter defaults (NAT per AZ, WAF, deletion protection). */
  production: z.boolean().default(false),
  /** The environment's VPC. */
  network: networkSchema,
  /** Where the services' hostnames live. */
  dns: dnsSchema,
  /** The environment's public Application Load Balancer. */
  loadBalancer: loadBalancerSchema.default({
    ingressCidrs: ["0.0.0.0/0"],
    accessLogRetentionDays: 90,
  }),
  /**
   * Capacity provider strategy of the ECS cluster.
   * @default - staging: base 0, FARGATE 1 : FARGATE_SPOT 3; production: base 2, FARGATE only
   */
  capacity: capacitySchema.optional(),
  /**
   * ECS Exec: services allow `execute-command` and the cluster logs the sessions to a
   * KMS-encrypted log group. (Container Insights is always on.) @default false
   */
  ecsExec: z.boolean().default(false),
  /**
   * Log retention for services, ECS Exec sessions and CodeBuild, in days (a value CloudWatch Logs
   * accepts; a year by default, as audit baselines ask). @default 365
   */
  logRetentionDays: logRetentionDays.default(365),
  /** Who receives this environment's alarms. @default - pipeline.approvers */
  alarmEmails: distinctList(email, "address").min(1).max(100).optional(),
  /** Per-service sizing and settings for this environment, by service name. */
  services: z.record(z.string(), serviceOverrideSchema).default({}),
  /** Amplify branch and domain for this environment. @default - no frontend here */
  frontend: frontendEnvironmentSchema.optional(),
});
