import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc as AwsVpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import { subnetLayout } from "../config/cidr";

export type NatGatewayStrategy = "per-az" | "single";

export interface VpcProps {
  /** Used in Name tags: `<name>-public-<az>` etc. */
  readonly name: string;
  readonly cidr: string;
  /** At least 2; one public and one private subnet each. */
  readonly availabilityZones: readonly string[];
  /** Bits added to the VPC prefix for each subnet. @default 4 */
  readonly subnetNewBits?: number;
  /**
   * `per-az`: one NAT gateway per AZ, so losing an AZ never cuts the others off the internet.
   * `single`: one NAT gateway in the first AZ for all private subnets (cheaper, one AZ's fate).
   * @default "per-az"
   */
  readonly natGateways?: NatGatewayStrategy;
}

/**
 * A VPC with a public and a private subnet per AZ (ranges derived from the VPC CIDR by
 * `subnetLayout`), an internet gateway, NAT gateways, one route table for the public subnets and
 * one per AZ for the private ones, and the default security group stripped of every rule.
 */
export class Vpc extends Construct {
  readonly vpc: AwsVpc;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly natGateways: NatGateway[];
  readonly publicRouteTable: RouteTable;
  /** One per AZ, in AZ order. */
  readonly privateRouteTables: RouteTable[];
  readonly cidr: string;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const azs = props.availabilityZones;
    if (azs.length < 2) {
      throw new Error(`${this.node.path}: a VPC needs at least 2 availability zones`);
    }
    const layout = subnetLayout(props.cidr, props.subnetNewBits ?? 4, azs.length);
    const strategy = props.natGateways ?? "per-az";
    this.cidr = props.cidr;

    this.vpc = new AwsVpc(this, "Resource", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true, // needed for interface endpoints' private DNS and Cloud Map
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    const vpcId = this.vpc.id;

    // Without inline rules, adopting the default security group removes all of its rules, so
    // nothing can use it by accident.
    new DefaultSecurityGroup(this, "DefaultSecurityGroup", {
      vpcId,
      ingress: [],
      egress: [],
      tags: { Name: `${props.name}-default-unused` },
    });

    const igw = new InternetGateway(this, "InternetGateway", {
      vpcId,
      tags: { Name: props.name },
    });

    // Construct ids carry the AZ index, not the AZ name: adding an AZ appends resources.
    this.publicSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `Public${i}`, {
          vpcId,
          availabilityZone: az,
          cidrBlock: layout.public[i],
          // The ALB gets its own addresses; nothing launched here needs a public IP by default.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${az}`, Tier: "public" },
        }),
    );
    this.privateSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `Private${i}`, {
          vpcId,
          availabilityZone: az,
          cidrBlock: layout.private[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-private-${az}`, Tier: "private" },
        }),
    );

    this.publicRouteTable = new RouteTable(this, "PublicRoutes", {
      vpcId,
      tags: { Name: `${props.name}-public` },
    });
    new Route(this, "PublicDefaultRoute", {
      routeTableId: this.publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    this.publicSubnets.forEach(
      (subnet, i) =>
        new RouteTableAssociation(this, `PublicRoutes${i}`, {
          subnetId: subnet.id,
          routeTableId: this.publicRouteTable.id,
        }),
    );

    const natCount = strategy === "per-az" ? azs.length : 1;
    this.natGateways = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `NatIp${i}`, {
        domain: "vpc",
        tags: { Name: `${props.name}-nat-${azs[i]}` },
      });
      return new NatGateway(this, `Nat${i}`, {
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[i].id,
        connectivityType: "public",
        tags: { Name: `${props.name}-${azs[i]}` },
        dependsOn: [igw],
      });
    });

    this.privateRouteTables = azs.map((az, i) => {
      const table = new RouteTable(this, `PrivateRoutes${i}`, {
        vpcId,
        tags: { Name: `${props.name}-private-${az}` },
      });
      new Route(this, `PrivateDefaultRoute${i}`, {
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: this.natGateways[strategy === "per-az" ? i : 0].id,
      });
      new RouteTableAssociation(this, `PrivateRoutesAssociation${i}`, {
        subnetId: this.privateSubnets[i].id,
        routeTableId: table.id,
      });
      return table;
    });
  }

  get vpcId(): string {
    return this.vpc.id;
  }
}
