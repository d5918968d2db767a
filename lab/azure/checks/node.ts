import { NODE_LINES, NODE_LINES_TEXT, nodeSupport } from "../../catalog/toolchain";
import { CHECK, CheckResult, PreflightContext } from "./check";

/** The Node.js that will run cdktf is on a line CI tests: older cannot run cdktf, another line is untested. */
export function checkNode({ nodeVersion }: PreflightContext): CheckResult[] {
  const support = nodeSupport(nodeVersion);
  const fix = "install Node.js 24 LTS (or 22 LTS).";
  if (support === "tested") {
    return [{ check: CHECK.node, status: "pass", detail: `${nodeVersion} (tested: ${NODE_LINES_TEXT})` }];
  }
  return [
    support === "too-old"
      ? {
          check: CHECK.node,
          status: "fail",
          detail: `${nodeVersion} is older than ${NODE_LINES[0].from}: cdktf cannot run.`,
          fix,
        }
      : {
          check: CHECK.node,
          status: "warn",
          detail: `${nodeVersion} is not a tested Node.js line (tested: ${NODE_LINES_TEXT}).`,
          fix,
        },
  ];
}
