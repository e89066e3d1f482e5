/** Ingress rules from every way Terraform can express them, in one shape. */
import { blocks, references, resources } from "./terraform";
import type { SynthesizedStackJson } from "./types";

export interface IngressRule {
  /** The resource that declares the rule (the SG itself for inline rules). */
  readonly address: string;
  /** The security group the rule belongs to, when it is in this stack. */
  readonly securityGroup?: string;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrs: readonly string[];
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);
const port = (v: unknown): number | undefined =>
  v === undefined || v === null ? undefined : Number(v);

function groupOf(value: unknown): string | undefined {
  return [...references(value)].find((r) => r.startsWith("aws_security_group."));
}

export function ingressRules(stack: SynthesizedStackJson): IngressRule[] {
  const out: IngressRule[] = [];
  for (const sg of resources(stack, "aws_security_group")) {
    for (const r of blocks(sg.block.ingress)) {
      out.push({
        address: sg.address,
        securityGroup: sg.address,
        protocol: String(r.protocol ?? ""),
        fromPort: port(r.from_port),
        toPort: port(r.to_port),
        cidrs: [...list(r.cidr_blocks), ...list(r.ipv6_cidr_blocks)],
      });
    }
  }
  for (const r of resources(stack, "aws_vpc_security_group_ingress_rule")) {
    out.push({
      address: r.address,
      securityGroup: groupOf(r.block.security_group_id),
      protocol: String(r.block.ip_protocol ?? ""),
      fromPort: port(r.block.from_port),
      toPort: port(r.block.to_port),
      cidrs: [...list(r.block.cidr_ipv4), ...list(r.block.cidr_ipv6)],
    });
  }
  for (const r of resources(stack, "aws_security_group_rule")) {
    if (r.block.type !== "ingress") continue;
    out.push({
      address: r.address,
      securityGroup: groupOf(r.block.security_group_id),
      protocol: String(r.block.protocol ?? ""),
      fromPort: port(r.block.from_port),
      toPort: port(r.block.to_port),
      cidrs: [...list(r.block.cidr_blocks), ...list(r.block.ipv6_cidr_blocks)],
    });
  }
  return out;
}

/** Security groups attached to a load balancer in this stack. */
export function loadBalancerSecurityGroups(stack: SynthesizedStackJson): Set<string> {
  const groups = new Set<string>();
  for (const lb of resources(stack, "aws_lb", "aws_alb")) {
    for (const ref of references(lb.block.security_groups)) {
      if (ref.startsWith("aws_security_group.")) groups.add(ref);
    }
  }
  return groups;
}

export function isAllProtocols(protocol: string): boolean {
  return protocol === "-1" || protocol.toLowerCase() === "all";
}
