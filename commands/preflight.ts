import { CHECK, CheckResult, blocksDeploy, formatReport, runPreflight } from "../lab/azure/preflight";
import { EXIT } from "../lab/errors";
import { estimateCost } from "../lab/pricing/cost-estimate";
import { LabSettings } from "../lab/settings";
import { runCommand } from "./cli";

/** `npm run preflight`: what would make a first `cdktf deploy` fail, checked before it runs. */
async function main(): Promise<number> {
  const results = await runPreflight({ env: process.env, cwd: process.cwd(), extraChecks: costLine });
  console.log(formatReport(results));
  return blocksDeploy(results) ? EXIT.USER_ERROR : EXIT.OK;
}

/** The hourly estimate, as information: it never blocks a deploy. */
async function costLine(settings: LabSettings): Promise<CheckResult[]> {
  try {
    const e = await estimateCost(settings);
    return [
      {
        check: CHECK.cost,
        status: "info",
        detail: `about ${e.perHour.total.toFixed(2)} ${e.currency}/h while the cluster runs, ${e.session.total.toFixed(2)} ${e.currency} for a ${e.session.hours} h session (${e.source} prices; npm run cost for details)`,
      },
    ];
  } catch (error) {
    return [{ check: CHECK.cost, status: "info", detail: `none: ${(error as Error).message}` }];
  }
}

runCommand(main);
