// The project's own reading of a deployed lab (what `npm run status` prints), pointed at the
// emulator: e2e uses it to check that a fault is reported to the instructor by name.
import { readFileSync } from "node:fs";
import { DatabricksClient } from "../../lab/databricks/client";
import { ClusterStatus, clusterStatuses, labClusters } from "../../lab/databricks/clusters";
import { labStateOf } from "../../lab/state/local-state";
import type { Emulator } from "./index";

/** The statuses of every cluster the lab's state (a Terraform state file) lists, read from the emulator. */
export async function labStatus(stateFile: string, labName: string, emulator: Emulator): Promise<ClusterStatus[]> {
  const state = labStateOf(readFileSync(stateFile, "utf8"), labName, stateFile);
  if (!state) throw new Error(`${stateFile} holds no lab ${labName}`);
  // The emulator takes its personal access token where Azure Databricks takes an Entra ID token.
  const credential = { getToken: async () => ({ token: emulator.token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const client = new DatabricksClient({ host: emulator.url, credential, ca: emulator.ca, maxRetries: 0 });
  return clusterStatuses(client, await labClusters(client, state));
}
