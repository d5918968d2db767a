import { MIN_NODE_VERSION } from "../../catalog/toolchain";
import { versionAtLeast } from "../version";
import { CHECK, CheckResult, PreflightContext } from "./check";

/** The Node.js that will run cdktf is recent enough. */
export function checkNode({ nodeVersion }: PreflightContext): CheckResult[] {
  return [
    versionAtLeast(nodeVersion, MIN_NODE_VERSION)
      ? { check: CHECK.node, status: "pass", detail: `${nodeVersion} (needs ${MIN_NODE_VERSION} or later)` }
      : {
          check: CHECK.node,
          status: "fail",
          detail: `${nodeVersion} is older than ${MIN_NODE_VERSION}.`,
          fix: `install Node.js ${MIN_NODE_VERSION} or later (20 LTS or 22 LTS).`,
        },
  ];
}
