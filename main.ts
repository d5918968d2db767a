import { join } from "node:path";
import { App } from "cdktf";
import { runCommand } from "./commands/cli";
import { LabStack, PolicyError } from "./constructs";
import { ARCHIVE_CACHE, resolveNotebookArchive } from "./lab/archive/notebook-archive";
import { loadSettings } from "./lab/settings";

/**
 * Warnings and notes go to stdout: the cdktf CLI shows the app's stderr as "[ERROR]", which is for
 * errors only.
 */
const inform = (line: string) => console.log(line);

/** environment -> settings -> archive -> stack -> Terraform JSON; nothing is written before all checks pass. */
async function main(): Promise<void> {
  const cwd = process.cwd();
  const { settings, warnings } = loadSettings(process.env, { cwd });
  for (const w of warnings) inform(`Warning: ${w.setting} ${w.message}`);
  if (!settings.subscriptionId && !process.env.ARM_SUBSCRIPTION_ID) {
    inform(
      "Note: ARM_SUBSCRIPTION_ID is not set; synth works, but `cdktf deploy` needs it (or LAB_SUBSCRIPTION_ID): export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
    );
  }

  const archive = await resolveNotebookArchive(settings.notebook, {
    cacheDir: join(settings.cacheDir, ARCHIVE_CACHE),
    language: settings.notebookLanguage,
    log: inform,
  });

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
