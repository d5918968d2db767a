import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { LabSettings } from "../../settings";
import {
  RefusedChangeError,
  refuseStudentRemoval,
  layoutChangeWarnings,
  refuseWorkspaceReplacement,
  reimportWarnings,
} from "../../state/change-guard";
import { CHECK, CheckResult, PreflightContext } from "./check";

const check = CHECK.deployedLab;

/** What the settings would do to a lab already deployed (its local state, or the remote one). */
export function checkDeployedLab({ settings, deployed, stateError }: PreflightContext): CheckResult[] {
  if (!settings) return [];
  if (stateError) return [{ check, status: "fail", detail: stateError.problem, fix: stateError.fix }];
  if (!deployed) {
    const where = settings.remoteState ? `the remote state (blob ${settings.remoteState.key})` : "this folder";
    return [{ check, status: "pass", detail: `none named ${settings.name} in ${where}: the deploy creates it.` }];
  }
  try {
    refuseWorkspaceReplacement(deployed, settings);
    refuseStudentRemoval(deployed, settings.classroom?.roster.students ?? [], settings.removeStudents);
  } catch (e) {
    if (!(e instanceof RefusedChangeError)) throw e;
    return [
      { check, status: "fail", detail: e.problem.join("\n"), fix: e.waysOut.map((way) => `- ${way}`).join("\n") },
    ];
  }
  const sha256 = plannedArchiveSum(settings);
  const reimport = [
    ...(sha256 ? reimportWarnings(deployed, { sha256 }) : []),
    ...(settings.classroom?.compute.clustersAtDeploy ? layoutChangeWarnings(deployed, settings.variant.student) : []),
  ];
  if (reimport.length > 0)
    return [{ check, status: "warn", detail: reimport.join("\n"), fix: "see above; nothing blocks the deploy." }];
  return [
    {
      check,
      status: "pass",
      detail: `${deployed.name} is deployed in ${deployed.workspace?.location ?? "?"}; the settings change nothing that replaces it.`,
    },
  ];
}

/** The sum of the archive the settings import, when it is known before synth. */
function plannedArchiveSum(settings: LabSettings): string | undefined {
  if (settings.notebook.sha256) return settings.notebook.sha256;
  if (settings.notebook.kind === "file" && existsSync(settings.notebook.file)) {
    return createHash("sha256").update(readFileSync(settings.notebook.file)).digest("hex");
  }
  return undefined;
}
