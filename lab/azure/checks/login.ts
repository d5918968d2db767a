import { firstLine } from "../../errors";
import { CHECK, CheckResult, PreflightContext } from "./check";

/** The Azure login the checks (and Terraform) sign in with gives a Resource Manager token. */
export function checkLogin({ login }: PreflightContext): CheckResult[] {
  if (login.token) return [{ check: CHECK.login, status: "pass", detail: `signed in (${login.how})` }];
  const reason = firstLine((login.error as Error | undefined)?.message ?? String(login.error));
  if (login.unreachable) {
    return [
      {
        check: CHECK.login,
        status: "fail",
        detail: `Microsoft Entra ID could not be reached (${login.how}), so whether the login works is unknown: ${reason}`,
        fix: "check the network connection and any proxy (HTTPS_PROXY) to login.microsoftonline.com and management.azure.com, then run the preflight again; signing in again will not help.",
      },
    ];
  }
  return [
    {
      check: CHECK.login,
      status: "fail",
      detail: `no usable Azure login (${login.how}): ${reason}`,
      fix: "run `az login`, or export ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID of a service principal.",
    },
  ];
}
