import { App } from "cdktf";
import { LabStack } from "./constructs";
import { ArchiveError, resolveNotebookArchive } from "./lab/notebook-archive";
import { SettingsError, loadSettings } from "./lab/settings";

/** environment -> settings -> archive -> stack -> Terraform JSON; nothing is written before all checks pass. */
async function main(): Promise<void> {
  const cwd = process.cwd();
  const { settings, warnings } = loadSettings(process.env, { cwd });
  for (const w of warnings) console.error(`Warning: ${w.setting} ${w.message}`);
  if (!settings.subscriptionId && !process.env.ARM_SUBSCRIPTION_ID) {
    console.error(
      "Note: ARM_SUBSCRIPTION_ID is not set; synth works, but `cdktf deploy` needs it (or LAB_SUBSCRIPTION_ID): export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
    );
  }

  const archive = await resolveNotebookArchive(settings.notebook, {
    cacheDir: settings.cacheDir,
    log: (line) => console.error(line),
  });

  const app = new App();
  new LabStack(app, settings.name, { settings, archive });
  app.synth();
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof ArchiveError) console.error(error.message);
  else console.error(error);
  process.exitCode = 1;
});
