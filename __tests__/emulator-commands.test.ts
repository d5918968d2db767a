import { DatabricksClient } from "../lab/databricks/client";
import { clusterStatuses, labClusters, switchClusters } from "../lab/databricks/clusters";
import { LabState } from "../lab/state/local-state";
import { Emulator, startEmulator } from "./emulator";

// The instructor commands (npm run status, clusters start|stop) against the emulator's workspace:
// clusters made through its Clusters API, a fault that stops one, the commands' reading of both.

let emulator: Emulator;
afterEach(async () => emulator?.close());

async function workspaceWithClusters(owners: string[]): Promise<{ client: DatabricksClient; state: LabState }> {
  emulator = await startEmulator();
  emulator.seedWorkspace();
  // The emulator takes its personal access token where the workspace takes an Entra ID token.
  const credential = { getToken: async () => ({ token: emulator.token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const client = new DatabricksClient({ host: emulator.url, credential, ca: emulator.ca, maxRetries: 0 });
  const clusters = [];
  for (const owner of owners) {
    const spec = { spark_version: "15.4.x-cpu-ml-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 };
    const { cluster_id } = await client.post<{ cluster_id: string }>("/api/2.1/clusters/create", {
      ...spec,
      cluster_name: `lab-${owner}`,
      single_user_name: owner,
    });
    clusters.push({
      id: cluster_id,
      name: `lab-${owner}`,
      nodeType: spec.node_type_id,
      workers: 0,
      runtime: spec.spark_version,
      singleUserName: owner,
      singleNode: true,
    });
  }
  const state: LabState = {
    name: "lab",
    file: "terraform.lab.tfstate",
    clusters,
    notebooks: [],
    students: owners.filter((o) => o !== emulator.deployer).map((email) => ({ email })),
    outputs: {},
  };
  return { client, state };
}

test("status names the student whose cluster stopped for lack of quota, with Databricks' reason", async () => {
  const { client, state } = await workspaceWithClusters(["instructor@example.org", "ada@example.org"]);
  emulator.faults.clusterQuota.push({ match: /^ada@/, count: 1 });
  const statuses = await clusterStatuses(client, await labClusters(client, state));
  expect(statuses.map((s) => [s.owner, s.role, s.state, s.failed, s.reason?.code])).toEqual([
    ["instructor@example.org", "instructor", "RUNNING", false, undefined],
    ["ada@example.org", "student", "TERMINATED", true, "AZURE_QUOTA_EXCEEDED_EXCEPTION"],
  ]);
});

test("clusters stop, then start: the emulator's clusters change state as the commands ask", async () => {
  const { client, state } = await workspaceWithClusters(["instructor@example.org", "ada@example.org"]);
  const targets = await labClusters(client, state);
  await clusterStatuses(client, targets); // settles them: RUNNING
  const stopped = await switchClusters(client, targets, "stop");
  expect(stopped.map((a) => a.outcome)).toEqual(["requested", "requested"]);
  expect([...emulator.databricks()!.clusters.values()].map((c) => c.state)).toEqual(["TERMINATED", "TERMINATED"]);
  const started = await switchClusters(client, targets, "start");
  expect(started.map((a) => a.outcome)).toEqual(["requested", "requested"]);
  expect((await clusterStatuses(client, targets)).map((s) => s.state)).toEqual(["RUNNING", "RUNNING"]);
});
