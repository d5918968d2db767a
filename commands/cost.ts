import { parseArgs } from "node:util";
import { DEFAULT_SESSION_HOURS, EstimateError, estimateCost, formatCostReport } from "../lab/cost-estimate";
import { SettingsError, loadSettings, parsePositiveNumber } from "../lab/settings";

const USAGE = "usage: npm run cost [-- --hours H] [-- --json]";

/** `npm run cost`: what the lab the LAB_* settings describe will cost, before deploying it. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { hours: { type: "string", default: String(DEFAULT_SESSION_HOURS) }, json: { type: "boolean", default: false } },
  });
  const hours = parsePositiveNumber(values.hours ?? "", 1000);
  if (hours === undefined) {
    throw new UsageError(`--hours must be a number of hours greater than 0 and at most 1000, got ${JSON.stringify(values.hours)}.\n${USAGE}`);
  }
  const { settings } = loadSettings(process.env, { cwd: process.cwd(), pricing: true });
  const estimate = await estimateCost(settings, { hours });
  console.log(values.json ? JSON.stringify(estimate, null, 2) : formatCostReport(estimate));
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof UsageError || error instanceof EstimateError) console.error(error.message);
  else if (error instanceof Error && error.name === "TypeError" && /Unknown option|Unexpected argument/.test(error.message)) {
    console.error(`${error.message}\n${USAGE}`);
  } else console.error(error);
  process.exitCode = 1;
});
