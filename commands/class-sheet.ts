import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { UserError } from "../lab/errors";
import { loadSettings } from "../lab/settings";
import { readDeployedState } from "../lab/azure/deployed-state";
import { runCommand } from "./cli";

/** Where the sheet is written, in the project folder. */
const SHEET = "class-sheet.csv";

interface StudentLinks {
  readonly folder_path?: string;
  readonly notebooks_url?: string;
  readonly cluster_url?: string;
}

/**
 * `npm run class-sheet`: the hand-out for a deployed class, from the last deploy's outputs in the
 * local state: student, their notebooks link, their cluster link (or how to create it).
 */
async function main(): Promise<void> {
  const cwd = process.cwd();
  const { settings } = loadSettings(process.env, { cwd, outcome: "no sheet was written" });
  const state = await readDeployedState(settings, cwd);
  const students = state?.outputs.students as Record<string, StudentLinks> | undefined;
  if (!state || !students) {
    throw new UserError(
      `Lab ${settings.name} has no deployed class (no students output in ${settings.remoteState ? `its remote state, blob ${settings.remoteState.key}` : `terraform.${settings.name}.tfstate`}); no sheet was written.\nFix: deploy with LAB_STUDENTS_FILE set (npx cdktf deploy), or set LAB_NAME to the class's lab.`,
    );
  }
  const names = new Map((settings.classroom?.roster.students ?? []).map((s) => [s.email, s.name]));
  const workspace = String(state.outputs.workspace_url ?? "");
  const policy = String(state.outputs.student_policy_name ?? "");
  const rows = Object.entries(students)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([email, links]) => [
      email,
      names.get(email) ?? "",
      links.notebooks_url ?? "",
      links.cluster_url ?? `${workspace} > Compute > Create compute, policy "${policy}"`,
    ]);
  const csv = [["student", "name", "notebooks", "cluster"], ...rows].map((r) => r.map(csvField).join(",")).join("\r\n");
  writeFileAtomic.sync(join(cwd, SHEET), `${csv}\r\n`);
  console.log(rows.map((r) => `${r[0]}\n  notebooks: ${r[2]}\n  cluster:   ${r[3]}`).join("\n"));
  console.log(`\n${rows.length} students; written to ${SHEET} (opens in a spreadsheet).`);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

runCommand(main);
