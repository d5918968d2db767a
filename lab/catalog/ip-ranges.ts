/** IPv4 addresses and CIDR ranges, for the workspace's IP access list. */

/** An IPv4 range: `address/prefix`, a lone address being a /32. */
export interface Ipv4Range {
  /** As written in the access list: the canonical `a.b.c.d` or `a.b.c.d/n`. */
  readonly text: string;
  /** The network address as a 32-bit number. */
  readonly network: number;
  readonly prefix: number;
}

/**
 * The broadest range the lab accepts: a /16 (65,536 addresses) covers a campus; anything broader
 * lets most of the internet in, which is what the list is there to stop.
 */
export const BROADEST_PREFIX = 16;

/**
 * Every IPv4 block that is not publicly routed, so never the address a workspace sees a request
 * come from (its API is public: requests arrive from a NAT's public egress). From the IANA IPv4
 * Special-Purpose Address Registry (RFC 6890 and the RFCs named), the blocks it marks not globally
 * reachable, plus multicast (RFC 5771). An allow-list entry in one of them locks every user out.
 */
export const NON_PUBLIC_RANGES: readonly { readonly cidr: string; readonly what: string }[] = [
  { cidr: "0.0.0.0/8", what: "'this network' (RFC 791)" },
  { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", what: "shared carrier-grade NAT space (RFC 6598)" },
  { cidr: "127.0.0.0/8", what: "loopback (RFC 1122)" },
  { cidr: "169.254.0.0/16", what: "link-local (RFC 3927)" },
  { cidr: "172.16.0.0/12", what: "private (RFC 1918)" },
  { cidr: "192.0.0.0/24", what: "IETF protocol assignments (RFC 6890)" },
  { cidr: "192.0.2.0/24", what: "documentation TEST-NET-1 (RFC 5737)" },
  { cidr: "192.88.99.0/24", what: "deprecated 6to4 relay anycast (RFC 7526)" },
  { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
  { cidr: "198.18.0.0/15", what: "benchmarking (RFC 2544)" },
  { cidr: "198.51.100.0/24", what: "documentation TEST-NET-2 (RFC 5737)" },
  { cidr: "203.0.113.0/24", what: "documentation TEST-NET-3 (RFC 5737)" },
  { cidr: "224.0.0.0/4", what: "multicast (RFC 5771)" },
  { cidr: "240.0.0.0/4", what: "reserved (RFC 1112), with the limited broadcast address" },
];

export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** An address or CIDR range as written (`20.50.0.7`, `20.50.0.0/24`), or undefined when malformed. */
export function parseIpv4Range(text: string): Ipv4Range | undefined {
  const m = /^([0-9.]+)(?:\/(\d{1,2}))?$/.exec(text.trim());
  const address = m ? parseIpv4(m[1]) : undefined;
  const prefix = m?.[2] === undefined ? 32 : Number(m[2]);
  if (address === undefined || prefix > 32) return undefined;
  return { text: text.trim(), network: address, prefix };
}

export function rangeContains(range: Ipv4Range, address: number): boolean {
  const m = mask(range.prefix);
  return (range.network & m) >>> 0 === (address & m) >>> 0;
}

/** Why an entry cannot be in the lab's allow-list, or undefined when it can. */
export function rangeProblem(text: string): string | undefined {
  const range = parseIpv4Range(text);
  if (!range) return `"${text}" is not an IPv4 address or CIDR range (like 20.50.0.7 or 20.50.0.0/24)`;
  const network = (range.network & mask(range.prefix)) >>> 0;
  if (network !== range.network) {
    return `"${text}" has host bits set; the range is ${formatIpv4(network)}/${range.prefix}`;
  }
  const blocks = NON_PUBLIC_RANGES.map((b) => ({ ...b, range: parseIpv4Range(b.cidr)! }));
  // Inside a non-public block says what the entry is, before how big it is: 10.0.0.0/8 is private.
  const within = blocks.find((b) => b.range.prefix <= range.prefix && rangeContains(b.range, range.network));
  if (within) return `"${text}" is ${within.what} (${within.cidr}): the workspace only ever sees public addresses`;
  if (range.prefix < BROADEST_PREFIX) {
    return `"${text}" is too broad (${2 ** (32 - range.prefix)} addresses; at most a /${BROADEST_PREFIX} is allowed)`;
  }
  const overlapping = blocks.find((b) => rangeContains(range, b.range.network));
  if (overlapping) {
    return `"${text}" includes ${overlapping.what} addresses (${overlapping.cidr}), which the workspace never sees; list only the public part`;
  }
  return undefined;
}
