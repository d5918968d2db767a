import { parseIpv4Range, rangeContains, rangeProblem, parseIpv4 } from "../lab/catalog/ip-ranges";

describe("IPv4 ranges for the allow-list", () => {
  test.each(["203.0.113.7", "203.0.113.0/24", "198.51.100.0/22", "8.8.0.0/16"])("accepts the public %s", (entry) => {
    expect(rangeProblem(entry)).toBeUndefined();
  });

  test.each([
    ["203.0.113", '"203.0.113" is not an IPv4 address or CIDR range (like 203.0.113.7 or 203.0.113.0/24)'],
    ["203.0.113.256", '"203.0.113.256" is not an IPv4 address or CIDR range (like 203.0.113.7 or 203.0.113.0/24)'],
    ["203.0.113.0/33", '"203.0.113.0/33" is not an IPv4 address or CIDR range (like 203.0.113.7 or 203.0.113.0/24)'],
    ["203.0.113.7/24", '"203.0.113.7/24" has host bits set; the range is 203.0.113.0/24'],
    ["0.0.0.0/0", '"0.0.0.0/0" is too broad (4294967296 addresses; at most a /16 is allowed)'],
    ["10.1.2.3", '"10.1.2.3" is private (RFC 1918) (10.0.0.0/8): the workspace only ever sees public addresses'],
    [
      "172.20.0.0/16",
      '"172.20.0.0/16" is private (RFC 1918) (172.16.0.0/12): the workspace only ever sees public addresses',
    ],
    [
      "192.168.1.0/24",
      '"192.168.1.0/24" is private (RFC 1918) (192.168.0.0/16): the workspace only ever sees public addresses',
    ],
    ["127.0.0.1", '"127.0.0.1" is loopback (127.0.0.0/8): the workspace only ever sees public addresses'],
  ])("refuses %s", (entry, problem) => {
    expect(rangeProblem(entry)).toBe(problem);
  });

  test("a range contains the addresses of its prefix and no others", () => {
    const range = parseIpv4Range("203.0.113.0/24")!;
    expect(rangeContains(range, parseIpv4("203.0.113.200")!)).toBe(true);
    expect(rangeContains(range, parseIpv4("203.0.114.1")!)).toBe(false);
    expect(rangeContains(parseIpv4Range("198.51.100.7")!, parseIpv4("198.51.100.7")!)).toBe(true);
    expect(rangeContains(parseIpv4Range("198.51.100.7")!, parseIpv4("198.51.100.8")!)).toBe(false);
  });
});
