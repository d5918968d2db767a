import { join } from "node:path";
import { App } from "cdktf";
import { LabStack } from "./constructs";
import { ARCHIVE_CACHE, ArchiveError, resolveNotebookArchive } from "./lab/notebook-archive";
import { SettingsError, loadSettings } from "./lab/settings";

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
    log: inform,
  });

  const app = new App({ stackTraces: false });
  new LabStack(app, settings.name, { settings, archive });
  app.synth();
}

/** Errors a user can fix are printed as messages; anything else keeps its stack for a bug report. */
function isUserError(error: unknown): error is Error {
  return (
    error instanceof SettingsError ||
    error instanceof ArchiveError ||
    // cdktf's own error when a policy rule (constructs/rules) added an error annotation
    (error instanceof Error && error.message.startsWith('Encountered Annotations with level "ERROR"'))
  );
}

main().catch((error: unknown) => {
  console.error(isUserError(error) ? error.message : error);
  process.exitCode = 1;
});
