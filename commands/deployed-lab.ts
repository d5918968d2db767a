import type { TokenCredential } from "@azure/core-auth";
import { defaultCredential } from "../lab/azure/sign-in";
import { readDeployedState } from "../lab/azure/deployed-state";
import { AZURE_DATABRICKS_SCOPE, DatabricksClient } from "../lab/databricks/client";
import { UserError, firstLine } from "../lab/errors";
import { LabSettings, loadSettings } from "../lab/settings";
import { LabState, stateFileOf } from "../lab/state/local-state";

/** A deployed lab, its state and a signed-in client of its workspace: what the instructor commands start from. */
export interface DeployedLab {
  readonly settings: LabSettings;
  readonly state: LabState;
  readonly client: DatabricksClient;
}

/**
 * Reads the settings and the lab's state (local or remote), and signs in to its workspace as
 * preflight signs in to Azure (ARM_* service principal, else the Azure CLI), with a token for
 * Azure Databricks. `outcome` says what the command does not do when something is missing.
 */
export async function openDeployedLab(outcome: string): Promise<DeployedLab> {
  const cwd = process.cwd();
  const { settings } = loadSettings(process.env, { cwd, outcome });
  const credential = defaultCredential(process.env);
  const state = await readDeployedState(settings, cwd, { credential, env: process.env });
  const where = settings.remoteState
    ? `the blob ${settings.remoteState.key} of ${settings.remoteState.storageAccount}/${settings.remoteState.container}`
    : stateFileOf(cwd, settings.name);
  const host = state?.workspace?.workspaceUrl || String(state?.outputs.workspace_url ?? "");
  if (!state || !host) {
    throw new UserError(
      `Lab ${settings.name} has no deployed workspace (nothing in ${where}); ${outcome}.\nFix: set LAB_NAME (and the LAB_STATE_* settings, for remote state) to the deployed lab's; \`npm run labs\` lists the labs of this folder.`,
    );
  }
  await signIn(credential, outcome);
  return { settings, state, client: new DatabricksClient({ host, credential }) };
}

async function signIn(credential: TokenCredential, outcome: string): Promise<void> {
  try {
    if (!(await credential.getToken(AZURE_DATABRICKS_SCOPE))) throw new Error("the credential returned no token");
  } catch (e) {
    throw new UserError(
      `No usable Azure login for the workspace: ${firstLine((e as Error).message)}; ${outcome}.\nFix: run \`az login\` as the person who deployed the lab, or export ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID of the service principal that did.`,
    );
  }
}
