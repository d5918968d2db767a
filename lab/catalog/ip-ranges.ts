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
 * Ranges that are never the address a workspace sees a request come from: its API is public, so
 * requests arrive from public addresses (a NAT's egress), never from these.
 */
export const NON_PUBLIC_RANGES: readonly { readonly cidr: string; readonly what: string }[] = [
  { cidr: "0.0.0.0/8", what: "'this network' (RFC 1122)" },
  { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", what: "carrier-grade NAT (RFC 6598)" },
  { cidr: "127.0.0.0/8", what: "loopback" },
  { cidr: "169.254.0.0/16", what: "link-local" },
  { cidr: "172.16.0.0/12", what: "private (RFC 1918)" },
  { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
  { cidr: "224.0.0.0/3", what: "multicast or reserved" },
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

/** An address or CIDR range as written (`203.0.113.7`, `203.0.113.0/24`), or undefined when malformed. */
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
  if (!range) return `"${text}" is not an IPv4 address or CIDR range (like 203.0.113.7 or 203.0.113.0/24)`;
  const network = (range.network & mask(range.prefix)) >>> 0;
  if (network !== range.network) {
    return `"${text}" has host bits set; the range is ${formatIpv4(network)}/${range.prefix}`;
  }
  if (range.prefix < BROADEST_PREFIX) {
    return `"${text}" is too broad (${2 ** (32 - range.prefix)} addresses; at most a /${BROADEST_PREFIX} is allowed)`;
  }
  for (const reserved of NON_PUBLIC_RANGES) {
    const r = parseIpv4Range(reserved.cidr)!;
    if (rangeContains(r, range.network) || rangeContains(range, r.network)) {
      return `"${text}" is ${reserved.what} (${reserved.cidr}): the workspace only ever sees public addresses`;
    }
  }
  return undefined;
}
