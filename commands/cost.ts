import { parseArgs } from "node:util";
import { UserError } from "../lab/errors";
import { DEFAULT_SESSION_HOURS, NO_ESTIMATE, estimateCost } from "../lab/pricing/cost-estimate";
import { formatCostReport } from "../lab/pricing/cost-report";
import { formatWarning, loadSettings, parsePositiveNumber } from "../lab/settings";
import { runCommand } from "./cli";

const USAGE = "usage: npm run cost [-- --hours H] [-- --json]";
const MAX_HOURS = 1000;

/** A command line `npm run cost` cannot read. */
class UsageError extends UserError {
  constructor(
    public readonly problem: string,
    public readonly usage: string = USAGE,
  ) {
    super(`${problem}\n${usage}`);
  }
}

/** `npm run cost`: what the lab the LAB_* settings describe will cost, before deploying it. */
async function main(): Promise<void> {
  const { hours, json } = readArguments(process.argv.slice(2));
  const { settings, warnings } = loadSettings(process.env, { cwd: process.cwd(), pricing: true, outcome: NO_ESTIMATE });
  // The warnings synth gives, on stderr so that --json stays one document.
  for (const w of warnings) console.error(`Warning: ${formatWarning(w)}`);
  const estimate = await estimateCost(settings, { hours });
  console.log(json ? JSON.stringify(estimate, null, 2) : formatCostReport(estimate));
}

function readArguments(args: string[]): { hours: number; json: boolean } {
  let values: { hours?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        hours: { type: "string", default: String(DEFAULT_SESSION_HOURS) },
        json: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    // node's own argument errors carry a code; their message is already meant for the user.
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS_"))
      throw new UsageError((error as Error).message);
    throw error;
  }
  const hours = parsePositiveNumber(values.hours ?? "", MAX_HOURS);
  if (hours === undefined) {
    throw new UsageError(
      `--hours must be a number of hours greater than 0 and at most ${MAX_HOURS}, got ${JSON.stringify(values.hours)}.`,
    );
  }
  return { hours, json: values.json ?? false };
}

runCommand(main);
