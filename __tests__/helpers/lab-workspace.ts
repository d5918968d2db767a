import type { TokenCredential } from "@azure/core-auth";
import { DatabricksClient } from "../../lab/databricks/client";
import { Emulator, startEmulator } from "../emulator";
import type { Cluster, DatabricksState } from "../emulator/state";

/** The deploying user of the state helper's lab (its cluster is theirs, its notebooks in their home). */
export const DEPLOYER = "learner@example.org";

export interface LabWorkspace {
  readonly emulator: Emulator;
  readonly db: DatabricksState;
  /** A client of the workspace, signed in as the deployer, no retries. */
  readonly client: DatabricksClient;
  close(): Promise<void>;
}

/**
 * A deployed lab's workspace in the emulator, as the instructor commands reach it: an Entra ID
 * token (checked to be asked for Azure Databricks) that the workspace accepts.
 */
export async function startLabWorkspace(): Promise<LabWorkspace> {
  const emulator = await startEmulator({ deployer: DEPLOYER });
  emulator.seedWorkspace({ resourceGroup: "rg-dp090-ddl", name: "dbw-dp090-ddl" });
  const credential: TokenCredential = {
    getToken: async (scopes) => {
      expect([scopes].flat()).toEqual(["2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default"]);
      return { token: emulator.token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  const client = new DatabricksClient({ host: emulator.url, credential, ca: emulator.ca, maxRetries: 0 });
  return { emulator, db: emulator.databricks()!, client, close: () => emulator.close() };
}

/** A folder with notebooks (source text by name, nested by `/`) and files, made through the Workspace API. */
export async function putFolder(
  client: DatabricksClient,
  folder: string,
  entries: Record<string, { notebook?: string; language?: string; file?: string }>,
): Promise<void> {
  await client.post("/api/2.0/workspace/mkdirs", { path: folder });
  for (const [name, entry] of Object.entries(entries)) {
    const path = `${folder}/${name}`;
    await client.post("/api/2.0/workspace/mkdirs", { path: path.slice(0, path.lastIndexOf("/")) });
    await client.post("/api/2.0/workspace/import", {
      path,
      ...(entry.notebook !== undefined
        ? { format: "SOURCE", language: entry.language ?? "PYTHON", content: b64(entry.notebook) }
        : { format: "AUTO", content: b64(entry.file ?? "") }),
    });
  }
}

function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}

/** A cluster the workspace has under an id the state names, in the state given. */
export function putCluster(
  db: DatabricksState,
  id: string,
  cluster: Partial<Pick<Cluster, "state" | "state_message" | "termination_reason" | "events">> & {
    spec?: Record<string, unknown>;
  } = {},
): void {
  db.clusters.set(id, {
    cluster_id: id,
    creator_user_name: DEPLOYER,
    state: cluster.state ?? "RUNNING",
    state_message: cluster.state_message ?? "",
    start_time: 1764576000000,
    termination_reason: cluster.termination_reason,
    pinned: true,
    events: cluster.events ?? [],
    spec: { cluster_name: id, ...cluster.spec },
  });
}
