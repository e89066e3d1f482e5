import { describe, expect, it } from "vitest";
import { flagged, stackOf } from "./helpers";

describe("security group rules", () => {
  const stack = stackOf({
    aws_lb: { alb: { security_groups: ["${aws_security_group.alb.id}"] } },
    aws_security_group: {
      alb: { vpc_id: "v" },
      service: { vpc_id: "v" },
      inline: {
        vpc_id: "v",
        ingress: [{ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }],
      },
    },
    aws_vpc_security_group_ingress_rule: {
      alb_https: {
        security_group_id: "${aws_security_group.alb.id}",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: "0.0.0.0/0",
      },
      alb_http6: {
        security_group_id: "${aws_security_group.alb.id}",
        ip_protocol: "tcp",
        from_port: 80,
        to_port: 80,
        cidr_ipv6: "::/0",
      },
      alb_wide: {
        security_group_id: "${aws_security_group.alb.id}",
        ip_protocol: "tcp",
        from_port: 0,
        to_port: 65535,
        cidr_ipv4: "0.0.0.0/0",
      },
      service_https: {
        security_group_id: "${aws_security_group.service.id}",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: "0.0.0.0/0",
      },
      service_from_alb: {
        security_group_id: "${aws_security_group.service.id}",
        ip_protocol: "tcp",
        from_port: 8080,
        to_port: 8080,
        referenced_security_group_id: "${aws_security_group.alb.id}",
      },
      all: {
        security_group_id: "${aws_security_group.service.id}",
        ip_protocol: "-1",
        referenced_security_group_id: "${aws_security_group.alb.id}",
      },
    },
    aws_security_group_rule: {
      legacy: {
        type: "ingress",
        security_group_id: "${aws_security_group.service.id}",
        protocol: "tcp",
        from_port: 5432,
        to_port: 5432,
        cidr_blocks: ["0.0.0.0/0"],
      },
      egress: {
        type: "egress",
        security_group_id: "${aws_security_group.service.id}",
        protocol: "-1",
        from_port: 0,
        to_port: 0,
        cidr_blocks: ["0.0.0.0/0"],
      },
    },
  });

  it("SG_NO_PUBLIC_INGRESS allows only 80/443 from anywhere, and only on a load balancer's group", () => {
    expect(flagged("SG_NO_PUBLIC_INGRESS", stack).sort()).toEqual([
      "aws_security_group.inline",
      "aws_security_group_rule.legacy",
      "aws_vpc_security_group_ingress_rule.alb_wide",
      "aws_vpc_security_group_ingress_rule.service_https",
    ]);
  });

  it("SG_NO_ALL_PROTOCOL_INGRESS flags ingress -1, not egress", () => {
    expect(flagged("SG_NO_ALL_PROTOCOL_INGRESS", stack)).toEqual([
      "aws_vpc_security_group_ingress_rule.all",
    ]);
  });
});

describe("VPC rules", () => {
  const stack = stackOf({
    aws_vpc: {
      good: { cidr_block: "10.0.0.0/16" },
      bad: { cidr_block: "10.1.0.0/16" },
      open: { cidr_block: "10.2.0.0/16" },
    },
    aws_flow_log: { f: { vpc_id: "${aws_vpc.good.id}", traffic_type: "ALL" } },
    aws_default_security_group: {
      good: { vpc_id: "${aws_vpc.good.id}" },
      open: {
        vpc_id: "${aws_vpc.open.id}",
        ingress: [{ protocol: "-1", self: true, from_port: 0, to_port: 0 }],
      },
    },
  });
  it("VPC_FLOW_LOGS", () => {
    expect(flagged("VPC_FLOW_LOGS", stack)).toEqual(["aws_vpc.bad", "aws_vpc.open"]);
  });
  it("VPC_DEFAULT_SG_CLOSED: missing or with rules", () => {
    expect(flagged("VPC_DEFAULT_SG_CLOSED", stack)).toEqual([
      "aws_vpc.bad",
      "aws_default_security_group.open",
    ]);
  });
});

describe("the blue/green test listener", () => {
  it("SG_NO_PUBLIC_INGRESS flags its port opened to the internet on the load balancer's group", () => {
    const alb = (cidr: string) =>
      stackOf({
        aws_lb: { alb: { security_groups: ["${aws_security_group.alb.id}"] } },
        aws_security_group: { alb: { vpc_id: "v" } },
        aws_lb_listener: {
          test: { load_balancer_arn: "${aws_lb.alb.arn}", port: 8443, protocol: "HTTPS" },
        },
        aws_vpc_security_group_ingress_rule: {
          test: {
            security_group_id: "${aws_security_group.alb.id}",
            ip_protocol: "tcp",
            from_port: 8443,
            to_port: 8443,
            cidr_ipv4: cidr,
          },
        },
      });
    // Releases answer there before they are approved: known sources only.
    expect(flagged("SG_NO_PUBLIC_INGRESS", alb("0.0.0.0/0"))).toEqual([
      "aws_vpc_security_group_ingress_rule.test",
    ]);
    expect(flagged("SG_NO_PUBLIC_INGRESS", alb("198.51.100.0/24"))).toEqual([]);
  });
});
