import { parseIpv4, parseIpv4Range, rangeContains } from "../../catalog/ip-ranges";
import { tokenClaim } from "../token";
import { CHECK, CheckResult, PreflightContext } from "./check";

const check = CHECK.ownAddress;

/**
 * With an IP allow-list, the address Terraform connects from must be on it, or the next apply and
 * the destroy are locked out of the workspace. Entra ID writes that address into the access
 * token's `ipaddr` claim (for user sign-ins; service principals' tokens lack it).
 */
export function checkOwnAddress({ settings, login }: PreflightContext): CheckResult[] {
  const ranges = settings?.allowedIpRanges;
  if (!ranges) return [];
  const token = login.token;
  const address = token ? tokenClaim(token, "ipaddr") : undefined;
  const parsed = address === undefined ? undefined : parseIpv4(address);
  if (parsed === undefined) {
    return [
      {
        check,
        status: "warn",
        detail: token
          ? "the Azure access token carries no IPv4 address (ipaddr claim), so whether LAB_ALLOWED_IP_RANGES lets this machine in is unchecked."
          : "unchecked: it is read from the Azure login, which failed (see above).",
        fix: "find this machine's public address (curl -s https://api.ipify.org) and make sure LAB_ALLOWED_IP_RANGES contains it.",
      },
    ];
  }
  const covering = ranges.find((r) => rangeContains(parseIpv4Range(r)!, parsed));
  if (covering)
    return [
      {
        check,
        status: "pass",
        detail: `${address} (from the Azure login) is in LAB_ALLOWED_IP_RANGES (${covering}); the deploy adds the workspace's own NAT gateway address, which its clusters need.`,
      },
    ];
  return [
    {
      check,
      status: "fail",
      detail: `${address}, where this machine signs in from, is not in LAB_ALLOWED_IP_RANGES (${ranges.join(", ")}): the deploy would lock Terraform itself out of the workspace, and the destroy after it.`,
      fix: `add ${address} (or its /24) to LAB_ALLOWED_IP_RANGES.`,
    },
  ];
}
