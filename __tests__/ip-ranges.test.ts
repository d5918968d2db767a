import {
  BROADEST_PREFIX,
  NON_PUBLIC_RANGES,
  formatIpv4,
  parseIpv4,
  parseIpv4Range,
  rangeContains,
  rangeProblem,
} from "../lab/catalog/ip-ranges";

/** The block's first and last address. */
function ends(cidr: string): [string, string] {
  const range = parseIpv4Range(cidr)!;
  return [formatIpv4(range.network), formatIpv4(range.network + 2 ** (32 - range.prefix) - 1)];
}

describe("IPv4 ranges for the allow-list", () => {
  test.each(["20.50.0.7", "20.50.0.0/24", "52.160.0.0/22", "8.8.0.0/16", "198.20.0.0/16", "100.128.0.0/16"])(
    "accepts the public %s",
    (entry) => {
      expect(rangeProblem(entry)).toBeUndefined();
    },
  );

  test.each(NON_PUBLIC_RANGES)("refuses $cidr ($what) whole, its first and its last address", ({ cidr, what }) => {
    const [first, last] = ends(cidr);
    for (const entry of [cidr, first, last]) {
      expect(rangeProblem(entry)).toBe(
        `"${entry}" is ${what} (${cidr}): the workspace only ever sees public addresses`,
      );
    }
  });

  test.each(NON_PUBLIC_RANGES.filter(({ cidr }) => parseIpv4Range(cidr)!.prefix > BROADEST_PREFIX))(
    "refuses the /16 around $cidr, naming the first block of the table it includes",
    ({ cidr }) => {
      const wider = `${ends(cidr)[0].split(".").slice(0, 2).join(".")}.0.0/16`;
      const named = NON_PUBLIC_RANGES.find((b) =>
        rangeContains(parseIpv4Range(wider)!, parseIpv4Range(b.cidr)!.network),
      )!;
      expect(rangeProblem(wider)).toBe(
        `"${wider}" includes ${named.what} addresses (${named.cidr}), which the workspace never sees; list only the public part`,
      );
    },
  );

  test.each(NON_PUBLIC_RANGES)("the addresses just outside $cidr are not refused as that block", ({ cidr }) => {
    const range = parseIpv4Range(cidr)!;
    const outside = [range.network - 1, range.network + 2 ** (32 - range.prefix)].filter((n) => n >= 0 && n < 2 ** 32);
    for (const n of outside) expect(rangeProblem(formatIpv4(n)) ?? "").not.toContain(`(${cidr})`);
  });

  test("a private block says private before too broad", () => {
    expect(rangeProblem("10.0.0.0/8")).toBe(
      '"10.0.0.0/8" is private (RFC 1918) (10.0.0.0/8): the workspace only ever sees public addresses',
    );
    expect(rangeProblem("0.0.0.0/0")).toBe('"0.0.0.0/0" is too broad (4294967296 addresses; at most a /16 is allowed)');
    expect(rangeProblem("20.0.0.0/15")).toBe('"20.0.0.0/15" is too broad (131072 addresses; at most a /16 is allowed)');
  });

  test.each([
    ["20.50.0", '"20.50.0" is not an IPv4 address or CIDR range (like 20.50.0.7 or 20.50.0.0/24)'],
    ["20.50.0.256", '"20.50.0.256" is not an IPv4 address or CIDR range (like 20.50.0.7 or 20.50.0.0/24)'],
    ["20.50.0.0/33", '"20.50.0.0/33" is not an IPv4 address or CIDR range (like 20.50.0.7 or 20.50.0.0/24)'],
    ["20.50.0.7/24", '"20.50.0.7/24" has host bits set; the range is 20.50.0.0/24'],
  ])("refuses the malformed %s", (entry, problem) => {
    expect(rangeProblem(entry)).toBe(problem);
  });

  test("a range contains the addresses of its prefix and no others", () => {
    const range = parseIpv4Range("20.50.0.0/24")!;
    expect(rangeContains(range, parseIpv4("20.50.0.200")!)).toBe(true);
    expect(rangeContains(range, parseIpv4("20.50.1.1")!)).toBe(false);
    expect(rangeContains(parseIpv4Range("52.160.10.7")!, parseIpv4("52.160.10.7")!)).toBe(true);
    expect(rangeContains(parseIpv4Range("52.160.10.7")!, parseIpv4("52.160.10.8")!)).toBe(false);
  });
});
