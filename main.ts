import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { App } from "cdktf";
import { runCommand } from "./commands/cli";
import { LabStack, PolicyError } from "./constructs";
import { ARCHIVE_CACHE, resolveNotebookArchive } from "./lab/archive/notebook-archive";
import { LabSettings, formatWarning, labNameOf, loadSettings } from "./lab/settings";
import { RemoteStateError, readDeployedState } from "./lab/azure/deployed-state";
import {
  classWorkChoice,
  layoutChangeWarnings,
  refuseClassDestroy,
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
 * Set by `npm run destroy -- --export-work` (after the export went through) or `--discard-work`:
 * what to do with a class's work. Without it a destroy of a class is refused.
 */
const CLASS_WORK_CHOICE = "DP090_CLASS_WORK";

/**
 * Warnings and notes go to stdout: the cdktf CLI shows the app's stderr as "[ERROR]", which is for
 * errors only.
 */
const inform = (line: string) => console.log(line);

/** environment -> settings -> archive -> stack -> Terraform JSON; nothing is written before all checks pass. */
async function main(): Promise<void> {
  const cwd = process.cwd();
  const destroying = process.env[DESTROY_INTENT] === "1";
  const { settings, warnings } = loadSettings(process.env, { cwd, changesLab: true, destroy: destroying });
  for (const w of warnings) inform(`Warning: ${formatWarning(w)}`);
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
  if (destroying && classWorkChoice(process.env[CLASS_WORK_CHOICE]) === undefined) {
    // Discarding needs no state, so no network: only a destroy without a choice reads it.
    refuseClassDestroy(await deployedState(settings, cwd), undefined);
  }
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
      for (const w of layoutChangeWarnings(state, settings.variant.student)) inform(`Warning: ${w}`);
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

/**
 * Takes the lab's stack of an earlier synth out of cdktf's output folder: `cdktf deploy
 * --skip-synth` deploys what `manifest.json` lists, and Terraform in `stacks/<name>` applies the
 * `cdk.tf.json` there, so after a refused synth neither may find the settings just refused (or
 * the ones before them). Other labs' stacks stay. Returns what it did, for the message.
 */
function withdrawStack(cwd: string, stack: string): string | undefined {
  const outdir = resolve(cwd, process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const dir = join(outdir, "stacks", stack);
  const manifestFile = join(outdir, "manifest.json");
  let withdrawn = false;
  if (existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    withdrawn = true;
  }
  if (existsSync(manifestFile)) {
    let manifest: { stacks?: Record<string, unknown> } | undefined;
    try {
      manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as typeof manifest;
    } catch {
      // A manifest that cannot be read cannot be deployed from either.
    }
    if (manifest?.stacks?.[stack] !== undefined) {
      delete manifest.stacks[stack];
      writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
      withdrawn = true;
    }
  }
  return withdrawn
    ? `The last synth's stack ${relative(cwd, dir) || dir} was removed (and taken out of its manifest.json), so neither \`cdktf deploy --skip-synth\` nor Terraform in that folder can deploy settings that were refused.`
    : undefined;
}

runCommand(async () => {
  try {
    await main();
  } catch (error) {
    const stack = labNameOf(process.env, process.cwd());
    const note = stack === undefined ? undefined : withdrawStack(process.cwd(), stack);
    if (note) console.error(`${note}\n`);
    throw error;
  }
});
