import { spawnSync } from "node:child_process";
import { MIN_TERRAFORM_VERSION } from "../../catalog/toolchain";
import { versionAtLeast } from "../version";
import { CHECK, CheckResult, PreflightContext } from "./check";

/** The Terraform cdktf will run (TERRAFORM_BINARY_NAME, else `terraform` on PATH) runs and is recent enough. */
export function checkTerraform({ env }: PreflightContext): CheckResult[] {
  const binary = env.TERRAFORM_BINARY_NAME || "terraform";
  const run = spawnSync(binary, ["version", "-json"], {
    encoding: "utf8",
    env: { ...env } as NodeJS.ProcessEnv,
    timeout: 20_000,
  });
  const check = CHECK.terraform;
  const fix = `install Terraform ${MIN_TERRAFORM_VERSION} or later (developer.hashicorp.com/terraform/install) and put it on PATH, or set TERRAFORM_BINARY_NAME to its path.`;
  if (run.error || run.status !== 0) {
    return [
      {
        check,
        status: "fail",
        detail: `"${binary}" could not be run (${run.error?.message ?? `exit ${run.status}`}).`,
        fix,
      },
    ];
  }
  const version = reportedVersion(run.stdout);
  if (!version) return [{ check, status: "fail", detail: `"${binary}" did not report a Terraform version.`, fix }];
  return [
    versionAtLeast(version, MIN_TERRAFORM_VERSION)
      ? { check, status: "pass", detail: `${version} at "${binary}" (needs ${MIN_TERRAFORM_VERSION} or later)` }
      : { check, status: "fail", detail: `${version} is older than ${MIN_TERRAFORM_VERSION}.`, fix },
  ];
}

/** `terraform version -json`'s field; Terraform before 0.13 prints only text. */
function reportedVersion(stdout: string): string | undefined {
  try {
    return JSON.parse(stdout).terraform_version;
  } catch {
    return /Terraform v(\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  }
}
