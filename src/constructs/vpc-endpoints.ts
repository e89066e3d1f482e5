import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/** Interface endpoints Fargate tasks need to start without NAT: pull images, ship logs, read secrets. */
export const DEFAULT_INTERFACE_ENDPOINTS = [
  "ecr.api",
  "ecr.dkr",
  "logs",
  "secretsmanager",
  "sts",
] as const;

export interface VpcEndpointsProps {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly region: string;
  /** Subnets the interface endpoints get network interfaces in (one per AZ). */
  readonly subnetIds: readonly string[];
  /** Route tables the S3 gateway endpoint is added to (ECR image layers live in S3). */
  readonly routeTableIds: readonly string[];
  readonly securityGroupName: string;
  /** Service suffixes of `com.amazonaws.<region>.<service>`. @default DEFAULT_INTERFACE_ENDPOINTS */
  readonly interfaceServices?: readonly string[];
}

/**
 * An S3 gateway endpoint and interface endpoints with private DNS, reachable on 443 from inside
 * the VPC only. Tasks then pull images, write logs and read secrets without crossing NAT.
 */
export class VpcEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly s3: VpcEndpoint;
  /** By service suffix, e.g. `ecr.dkr`. */
  readonly interfaces: Record<string, VpcEndpoint> = {};

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      name: props.securityGroupName,
      description: "VPC interface endpoints: HTTPS from inside the VPC",
      vpcId: props.vpcId,
      tags: { Name: props.securityGroupName },
    });
    // No egress rule: endpoints answer connections, they never open any.
    new VpcSecurityGroupIngressRule(this, "HttpsFromVpc", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });

    this.s3 = new VpcEndpoint(this, "S3", {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...props.routeTableIds],
      tags: { Name: `${props.securityGroupName}-s3` },
    });

    for (const service of props.interfaceServices ?? DEFAULT_INTERFACE_ENDPOINTS) {
      // Ids from the service name ("ecr.dkr" -> "EcrDkr") stay stable when the list changes.
      const endpointId = service
        .split(/[.-]/)
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join("");
      this.interfaces[service] = new VpcEndpoint(this, endpointId, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: [...props.subnetIds],
        securityGroupIds: [this.securityGroup.id],
        tags: { Name: `${props.securityGroupName}-${service}` },
      });
    }
  }
}
