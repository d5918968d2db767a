import { join } from "node:path";
import { App } from "cdktf";
import { runCommand } from "./commands/cli";
import { LabStack, PolicyError } from "./constructs";
import { ARCHIVE_CACHE, resolveNotebookArchive } from "./lab/archive/notebook-archive";
import { loadSettings } from "./lab/settings";
import { refuseStudentRemoval, refuseWorkspaceReplacement, reimportWarnings } from "./lab/state/change-guard";
import { findLabStates, readLabState } from "./lab/state/local-state";

/**
 * Set by `npm run destroy` (scripts/destroy.js): the synth is for a destroy, which needs neither
 * the network nor the notebook archive, and may follow any change of the settings.
 */
const DESTROY_INTENT = "DP090_DESTROY";

/**
 * Warnings and notes go to stdout: the cdktf CLI shows the app's stderr as "[ERROR]", which is for
 * errors only.
 */
const inform = (line: string) => console.log(line);

/** environment -> settings -> archive -> stack -> Terraform JSON; nothing is written before all checks pass. */
async function main(): Promise<void> {
  const cwd = process.cwd();
  const destroying = process.env[DESTROY_INTENT] === "1";
  const { settings, warnings } = loadSettings(process.env, { cwd });
  for (const w of warnings) inform(`Warning: ${w.setting} ${w.message}`);
  if (!settings.subscriptionId && !process.env.ARM_SUBSCRIPTION_ID) {
    inform(
      "Note: ARM_SUBSCRIPTION_ID is not set; synth works, but `cdktf deploy` needs it (or LAB_SUBSCRIPTION_ID): export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
    );
  }
  const state = readLabState(cwd, settings.name);
  const others = findLabStates(cwd, settings.name).labs;
  if (others.length > 0) {
    const list = others.map((lab) => `${lab.name} (${lab.workspace?.location ?? lab.resourceGroup?.location ?? "?"})`);
    inform(`Note: other labs still have resources in this folder: ${list.join(", ")}. \`npm run labs\` lists them.`);
  }

  let archive;
  if (!destroying) {
    refuseWorkspaceReplacement(state, settings);
    const confirmations = refuseStudentRemoval(
      state,
      settings.classroom?.roster.students ?? [],
      settings.removeStudents,
    );
    for (const w of confirmations) inform(`Warning: ${w}`);
    archive = await resolveNotebookArchive(settings.notebook, {
      cacheDir: join(settings.cacheDir, ARCHIVE_CACHE),
      language: settings.notebookLanguage,
      log: inform,
    });
    for (const w of reimportWarnings(state, archive)) inform(`Warning: ${w}`);
  }

  const app = new App({ stackTraces: false });
  new LabStack(app, settings.name, { ...settings, archive });
  try {
    app.synth();
  } catch (error) {
    // The rule pack reports through error annotations, which make cdktf throw a generic Error.
    throw PolicyError.of(app) ?? error;
  }
}

runCommand(main);
