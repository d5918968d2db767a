import { readFileSync } from "node:fs";
import { UserError } from "../lab/errors";
import { loadSettings } from "../lab/settings";
import { PlanFileError, judgePlan, parsePlan, reviewPlan } from "../lab/state/plan-review";
import { runCommand } from "./cli";

/**
 * `npm run review-plan -- <plan.json>`: the last check before an unattended apply, on the plan
 * Terraform will carry out (`terraform show -json` of the saved plan). Refuses a plan that deletes
 * the workspace or the resource group, or a student's resources unless LAB_REMOVE_STUDENTS names them.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new UserError("Usage: npm run review-plan -- <plan.json> (from terraform show -json <saved plan>)");
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PlanFileError(
      `Could not read the plan ${file}: ${(error as Error).message}; nothing was applied.\nFix: write it with \`terraform show -json <saved plan> > ${file}\`.`,
    );
  }
  const { settings } = loadSettings(process.env, { cwd: process.cwd(), outcome: "nothing was applied" });
  for (const line of judgePlan(reviewPlan(parsePlan(json, file)), settings.removeStudents)) console.log(line);
}

runCommand(main);
