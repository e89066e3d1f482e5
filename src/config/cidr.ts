/**
 * IPv4 CIDR arithmetic for the VPC layout. Subnets are derived from the VPC CIDR in code (not with
 * Terraform's cidrsubnet) so that config validation, tests and reviewers see concrete ranges.
 */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

// No leading zeros ("010"): AWS (and Terraform's CIDR parser) reject them, and some tools read them as octal.
const OCTET = "(0|[1-9]\\d{0,2})";
const CIDR_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}\\/(0|[1-9]\\d?)$`);

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  if ((address & ~maskOf(prefix)) >>> 0 !== 0) return undefined;
  return { network: address, prefix };
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function formatCidr(cidr: Cidr): string {
  const a = cidr.network;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${cidr.prefix}`;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = maskOf(prefix);
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** Terraform's cidrsubnet(prefix, newbits, netnum). */
export function cidrSubnet(base: Cidr, newBits: number, netNum: number): Cidr {
  const prefix = base.prefix + newBits;
  if (prefix > 32) throw new Error(`cannot add ${newBits} bits to /${base.prefix}`);
  if (netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`subnet number ${netNum} does not fit in ${newBits} new bits`);
  }
  return { network: (base.network + netNum * 2 ** (32 - prefix)) >>> 0, prefix };
}

export interface SubnetLayout {
  readonly public: readonly string[];
  readonly private: readonly string[];
}

/**
 * The VPC's subnets, one public and one private per AZ. Public subnets take the lower half of the
 * subnet numbers and private ones the upper half, so adding an AZ later appends subnets instead of
 * renumbering (and replacing) existing ones.
 */
export function subnetLayout(vpcCidr: string, newBits: number, azCount: number): SubnetLayout {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`invalid VPC CIDR ${vpcCidr}`);
  const half = 2 ** (newBits - 1);
  if (azCount > half) throw new Error(`${azCount} AZs need more than ${newBits} new bits`);
  const range = Array.from({ length: azCount }, (_, i) => i);
  return {
    public: range.map((i) => formatCidr(cidrSubnet(vpc, newBits, i))),
    private: range.map((i) => formatCidr(cidrSubnet(vpc, newBits, half + i))),
  };
}
