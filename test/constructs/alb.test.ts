import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Alb, DEFAULT_TLS_POLICY, type AlbProps } from "../../src/constructs/alb";
import { ELB_LOG_DELIVERY_PRINCIPAL } from "../../src/policies/elb-log-delivery";
import { resourcesOf, type StackJson } from "../helpers/synth";

const BASE: AlbProps = {
  name: "shop-staging-alb",
  securityGroupName: "shop-staging-alb",
  vpcId: "vpc-1",
  vpcCidr: "10.10.0.0/16",
  subnetIds: ["subnet-a", "subnet-b"],
  accountId: "111111111111",
  region: "eu-west-1",
  certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/abc",
  targetPorts: [8080, 3000, 8080],
  accessLogs: { bucketName: "shop-staging-alb-logs-111111111111", retentionDays: 30 },
};

function synthAlb(props: Partial<AlbProps> = {}): { text: string; json: StackJson } {
  const text = Testing.synthScope((scope) => {
    new Alb(scope, "Alb", { ...BASE, ...props });
  });
  return { text, json: JSON.parse(text) as StackJson };
}

function bucketPolicy(json: StackJson): { Statement: Record<string, unknown>[] } {
  const policy = Object.values(resourcesOf(json, "aws_s3_bucket_policy"))[0];
  return JSON.parse(policy.policy as string);
}

describe("Alb", () => {
  it("is internet-facing, drops invalid header fields and logs access", () => {
    const { text } = synthAlb();
    expect(text).toHaveResourceWithProperties(Lb, {
      name: "shop-staging-alb",
      internal: false,
      load_balancer_type: "application",
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      subnets: ["subnet-a", "subnet-b"],
      access_logs: { bucket: expect.stringMatching(/aws_s3_bucket\./), enabled: true },
    });
  });

  it("turns deletion protection off only when asked", () => {
    expect(synthAlb({ deletionProtection: false }).text).toHaveResourceWithProperties(Lb, {
      enable_deletion_protection: false,
    });
  });

  it("serves HTTPS with a TLS 1.2+ policy, the certificate, and 404 by default", () => {
    const { text } = synthAlb();
    expect(DEFAULT_TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(text).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "HTTPS",
      ssl_policy: DEFAULT_TLS_POLICY,
      certificate_arn: BASE.certificateArn,
      default_action: [
        {
          type: "fixed-response",
          fixed_response: {
            content_type: "text/plain",
            status_code: "404",
            message_body: "Not found",
          },
        },
      ],
    });
  });

  it("answers HTTP only with a permanent redirect to HTTPS", () => {
    const { text } = synthAlb();
    expect(text).toHaveResourceWithProperties(LbListener, {
      port: 80,
      protocol: "HTTP",
      default_action: [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
      ],
    });
  });

  it("lets clients in on 443 and 80 only, from the configured CIDRs", () => {
    const { json } = synthAlb({ ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"] });
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(ingress.map((r) => [r.cidr_ipv4, r.from_port, r.to_port]).sort()).toEqual(
      [
        ["198.51.100.0/24", 443, 443],
        ["198.51.100.0/24", 80, 80],
        ["203.0.113.0/24", 443, 443],
        ["203.0.113.0/24", 80, 80],
      ].sort(),
    );
  });

  it("reaches only the target ports, inside the VPC", () => {
    const { json } = synthAlb();
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(egress.map((r) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([
      ["10.10.0.0/16", 3000, 3000],
      ["10.10.0.0/16", 8080, 8080],
    ]);
  });

  it("keeps access logs in an SSE-S3 bucket that expires them", () => {
    const { text } = synthAlb();
    expect(text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        expect.objectContaining({
          apply_server_side_encryption_by_default: { sse_algorithm: "AES256" },
        }),
      ],
    });
    expect(text).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [expect.objectContaining({ expiration: [{ days: 30 }] })],
    });
  });

  it("lets ELB log delivery write under AWSLogs/<account>/ (legacy account in older regions)", () => {
    const objects = "arn:aws:s3:::shop-staging-alb-logs-111111111111/AWSLogs/111111111111/*";
    const old = bucketPolicy(synthAlb().json).Statement;
    expect(old).toContainEqual(
      expect.objectContaining({
        Principal: { Service: ELB_LOG_DELIVERY_PRINCIPAL },
        Action: "s3:PutObject",
        Resource: objects,
      }),
    );
    expect(old).toContainEqual(
      expect.objectContaining({
        Principal: { AWS: "arn:aws:iam::156460612806:root" },
        Resource: objects,
      }),
    );
    const newer = bucketPolicy(synthAlb({ region: "eu-central-2" }).json).Statement;
    expect(newer.filter((s) => s.Sid?.toString().startsWith("ElbLogDelivery"))).toEqual([
      expect.objectContaining({ Principal: { Service: ELB_LOG_DELIVERY_PRINCIPAL } }),
    ]);
  });

  it("creates the ALB only after the bucket policy exists", () => {
    const { json } = synthAlb();
    const lb = Object.values(resourcesOf(json, "aws_lb"))[0];
    expect(lb.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\./)]);
  });

  it("aliases each hostname to the ALB", () => {
    const { text } = synthAlb({
      aliases: { hostedZoneId: "Z123", hostnames: { api: "api.example.com" } },
    });
    expect(text).toHaveResourceWithProperties(Route53Record, {
      zone_id: "Z123",
      name: "api.example.com",
      type: "A",
      alias: {
        name: expect.stringMatching(/aws_lb\..*\.dns_name/),
        zone_id: expect.stringMatching(/aws_lb\..*\.zone_id/),
        evaluate_target_health: true,
      },
    });
  });

  it("needs a target port", () => {
    expect(() => synthAlb({ targetPorts: [] })).toThrow(/targetPorts/);
  });
});
