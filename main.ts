import { join } from "node:path";
import { App } from "cdktf";
import { runCommand } from "./commands/cli";
import { LabStack, PolicyError } from "./constructs";
import { ARCHIVE_CACHE, resolveNotebookArchive } from "./lab/archive/notebook-archive";
import { LabSettings, loadSettings } from "./lab/settings";
import { RemoteStateError, readDeployedState } from "./lab/azure/deployed-state";
import {
  layoutChangeWarnings,
  refuseStudentRemoval,
  refuseWorkspaceReplacement,
  reimportWarnings,
} from "./lab/state/change-guard";
import { LabState, findLabStates } from "./lab/state/local-state";

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
  const others = findLabStates(cwd, settings.name).labs;
  if (others.length > 0) {
    const list = others.map((lab) => `${lab.name} (${lab.workspace?.location ?? lab.resourceGroup?.location ?? "?"})`);
    inform(`Note: other labs still have resources in this folder: ${list.join(", ")}. \`npm run labs\` lists them.`);
  }

  let archive;
  if (!destroying) {
    const state = await deployedState(settings, cwd);
    refuseWorkspaceReplacement(state, settings);
    const confirmations = refuseStudentRemoval(
      state,
      settings.classroom?.roster.students ?? [],
      settings.removeStudents,
    );
    for (const w of confirmations) inform(`Warning: ${w}`);
    if (settings.classroom?.compute.clustersAtDeploy) {
      for (const w of layoutChangeWarnings(state, settings.flavor.student)) inform(`Warning: ${w}`);
    }
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

/**
 * The lab's state for the guards, local or in Azure Storage. A remote state this login cannot read
 * is one Terraform (same login, same endpoint) cannot read either, so the deploy stops there; the
 * synth goes on, saying the guards did not run.
 */
async function deployedState(settings: LabSettings, cwd: string): Promise<LabState | undefined> {
  try {
    return await readDeployedState(settings, cwd);
  } catch (e) {
    if (!(e instanceof RemoteStateError)) throw e;
    inform(`Warning: the guards against removing students and replacing the workspace did not run. ${e.message}`);
    return undefined;
  }
}

runCommand(main);
