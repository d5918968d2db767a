import { UserError } from "../lab/errors";
import { loadSettings } from "../lab/settings";
import { classWorkChoice, refuseClassDestroy } from "../lab/state/change-guard";
import { findLabStates, readLabState, stateFileOf } from "../lab/state/local-state";
import { runCommand } from "./cli";

/** Nothing of the lab is deployed from this folder: nothing to destroy, and the labs that are. */
export class NothingToDestroyError extends UserError {}

/**
 * The first step of `npm run destroy` (scripts/destroy.js): whether there is anything to destroy,
 * from the folder alone, before `terraform init` (which needs the registry) ever runs. A lab whose
 * local state lists no resources has nothing; a remote state is Terraform's to read. Only the
 * settings a destroy reads are checked (`loadSettings`'s `destroy`), so a roster deleted since the
 * deploy never stops it. A class without `--export-work` or `--discard-work` stops here, before
 * anything is exported or destroyed. Exits 0 when the destroy may go on.
 */
async function main(): Promise<void> {
  const cwd = process.cwd();
  const { settings } = loadSettings(process.env, { cwd, destroy: true, outcome: "nothing was destroyed" });
  const state = readLabState(cwd, settings.name);
  // A class asks first what to do with its students' work (a remote class: the destroy's synth asks).
  refuseClassDestroy(state, classWorkChoice(process.env.DP090_CLASS_WORK));
  if (settings.remoteState || state) return;
  const { labs, unreadable } = findLabStates(cwd, settings.name);
  const others = labs.map(
    (lab) =>
      `  ${lab.name} (${lab.workspace?.location ?? lab.resourceGroup?.location ?? "?"}): LAB_NAME=${lab.name} npm run destroy`,
  );
  throw new NothingToDestroyError(
    [
      `Nothing of lab ${settings.name} is deployed from this folder (no resources in ${stateFileOf(cwd, settings.name)}); nothing was destroyed and Terraform was not run.`,
      ...(others.length > 0 ? ["Labs with resources here:", ...others] : ["No lab has resources in this folder."]),
      ...unreadable.map((e) => `Not read: ${e.problem}`),
      "Fix: set LAB_NAME to the lab to destroy (npm run labs lists them).",
    ].join("\n"),
  );
}

runCommand(main);
