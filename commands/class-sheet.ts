import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { UserError } from "../lab/errors";
import { loadSettings } from "../lab/settings";
import { readDeployedState } from "../lab/azure/deployed-state";
import { runCommand } from "./cli";
import { csvSheet } from "./csv";

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
  const students = objectOrUndefined(state?.outputs.students);
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
    .map(([email, value]) => {
      const links: StudentLinks = objectOrUndefined(value) ?? {};
      return [
        email,
        names.get(email) ?? "",
        String(links.notebooks_url ?? ""),
        String(links.cluster_url ?? `${workspace} > Compute > Create compute, policy "${policy}"`),
      ];
    });
  writeFileAtomic.sync(join(cwd, SHEET), csvSheet([["student", "name", "notebooks", "cluster"], ...rows]));
  console.log(rows.map((r) => `${r[0]}\n  notebooks: ${r[2]}\n  cluster:   ${r[3]}`).join("\n"));
  console.log(`\n${rows.length} students; written to ${SHEET} (opens in a spreadsheet).`);
}

/** An output's value when it is an object (a state file may hold anything). */
function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

runCommand(main);
