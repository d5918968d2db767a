import { DatabricksClient } from "../lab/databricks/client";
import { clusterStatuses, labClusters, switchClusters } from "../lab/databricks/clusters";
import { LabState, readLabState } from "../lab/state/local-state";
import { tempDir } from "./helpers/dbc";
import { FakeCluster, FakeWorkspace, signedInToDatabricks, startFakeWorkspace } from "./helpers/fake-databricks";
import { writeDeployedState } from "./helpers/state";

// Cluster ids as the state helper writes them: the lab's own, then one per student.
const OWN = "1130-083000-abcdefgh";
const ADA = "1130-083000-adaexamp";
const GRACE = "1130-083000-graceexa";
const LINUS = "1130-083000-linusexa";

let workspace: FakeWorkspace | undefined;
afterEach(() => workspace?.close());

function state(students: string[], outputs: Record<string, unknown> = {}): LabState {
  const dir = tempDir("clusters-");
  writeDeployedState(dir, { students, outputs });
  return readLabState(dir, "dp090-ddl")!;
}

async function client(clusters: Record<string, FakeCluster>, failing?: RegExp) {
  workspace = await startFakeWorkspace({ clusters, failing });
  return new DatabricksClient({
    host: workspace.host,
    credential: signedInToDatabricks,
    ca: workspace.ca,
    maxRetries: 0,
  });
}

const CLASS = ["ada@example.org", "grace@example.org", "linus@example.org"];

describe("npm run status (clusterStatuses)", () => {
  test("running, stopped and failed clusters, whose each is, and the reason Databricks gives", async () => {
    const lab = state(CLASS);
    const api = await client({
      [OWN]: { state: "RUNNING" },
      [ADA]: {
        state: "TERMINATED",
        state_message: "Inactive cluster terminated (inactive for 120 minutes).",
        termination_reason: { code: "INACTIVITY", type: "SUCCESS", parameters: { inactivity_duration_min: "120" } },
        events: [{ type: "TERMINATING", timestamp: 1764585000000 }],
      },
      [GRACE]: {
        state: "TERMINATED",
        termination_reason: {
          code: "CLOUD_PROVIDER_LAUNCH_FAILURE",
          type: "CLOUD_FAILURE",
          parameters: { azure_error_code: "QuotaExceeded" },
        },
        events: [
          { type: "TERMINATING", timestamp: 1764585100000 },
          { type: "CREATING", timestamp: 1764585000000 },
        ],
      },
    });
    const statuses = await clusterStatuses(api, await labClusters(api, lab));
    expect(statuses).toEqual([
      {
        owner: "learner@example.org",
        role: "instructor",
        name: "dp090-ddl-cpu",
        id: OWN,
        state: "RUNNING",
        failed: false,
      },
      {
        owner: "ada@example.org",
        role: "student",
        name: "dp090-ddl-ada@example.org",
        id: ADA,
        state: "TERMINATED",
        failed: false,
        message: "Inactive cluster terminated (inactive for 120 minutes).",
        reason: { code: "INACTIVITY", type: "SUCCESS", parameters: { inactivity_duration_min: "120" } },
        lastEvent: { type: "TERMINATING", timestamp: 1764585000000 },
      },
      {
        owner: "grace@example.org",
        role: "student",
        name: "dp090-ddl-grace@example.org",
        id: GRACE,
        state: "TERMINATED",
        failed: true,
        reason: {
          code: "CLOUD_PROVIDER_LAUNCH_FAILURE",
          type: "CLOUD_FAILURE",
          parameters: { azure_error_code: "QuotaExceeded" },
        },
        lastEvent: { type: "TERMINATING", timestamp: 1764585100000 },
      },
      expect.objectContaining({ owner: "linus@example.org", id: LINUS, state: "MISSING", failed: true }),
    ]);
  });

  test.each([
    ["ERROR", undefined, true],
    ["UNKNOWN", undefined, true],
    ["PENDING", undefined, false],
    ["TERMINATED", { code: "USER_REQUEST", type: "SUCCESS" }, false],
    ["TERMINATED", { code: "DRIVER_UNREACHABLE", type: "SERVICE_FAULT" }, true],
    ["TERMINATED", { code: "INVALID_ARGUMENT", type: "CLIENT_ERROR" }, true],
  ])("state %s with reason %j: failed is %s", async (clusterState, reason, failed) => {
    const api = await client({ [OWN]: { state: clusterState, termination_reason: reason } });
    const [status] = await clusterStatuses(api, await labClusters(api, state([])));
    expect([status.state, status.failed]).toEqual([clusterState, failed]);
  });

  test("policy compute: the clusters students made within the class's policy, found across pages", async () => {
    const lab = state(["ada@example.org"], { student_policy_id: "POLICY1" });
    const api = await client({
      [OWN]: { state: "RUNNING" },
      "c-ada": { state: "RUNNING", policy_id: "POLICY1", single_user_name: "ada@example.org", cluster_name: "ada's" },
      "c-other": { state: "RUNNING", policy_id: "OTHER", single_user_name: "someone@example.org" },
      [ADA]: { state: "TERMINATED" },
    });
    const targets = await labClusters(api, lab);
    expect(targets.map((t) => [t.owner, t.role, t.id])).toEqual([
      ["learner@example.org", "instructor", OWN],
      ["ada@example.org", "student", ADA],
      ["ada@example.org", "student", "c-ada"],
    ]);
    expect(workspace!.requests.filter((r) => r.startsWith("GET /api/2.1/clusters/list"))).toEqual([
      "GET /api/2.1/clusters/list?page_size=100",
      "GET /api/2.1/clusters/list?page_size=100&page_token=2",
    ]);
  });
});

describe("npm run clusters -- start|stop (switchClusters)", () => {
  test("start: starts the stopped ones, leaves the running ones, reports progress and a failure", async () => {
    const api = await client({
      [OWN]: { state: "RUNNING" },
      [ADA]: { state: "TERMINATED" },
      [GRACE]: { state: "TERMINATING" },
    });
    const lines: string[] = [];
    const results = await switchClusters(api, await labClusters(api, state(CLASS)), "start", {
      log: (l) => lines.push(l),
      concurrency: 1,
    });
    expect(results.map((r) => [r.owner, r.outcome, r.detail])).toEqual([
      ["learner@example.org", "unchanged", "already RUNNING"],
      ["ada@example.org", "requested", "start requested (was TERMINATED)"],
      ["grace@example.org", "failed", "still TERMINATING; run the start again in a minute"],
      ["linus@example.org", "failed", "the workspace has no such cluster; `npx cdktf deploy` makes it again"],
    ]);
    expect(lines).toEqual([
      `[1/4] learner@example.org (instructor, ${OWN}): already RUNNING`,
      `[2/4] ada@example.org (student, ${ADA}): start requested (was TERMINATED)`,
      `[3/4] grace@example.org (student, ${GRACE}): still TERMINATING; run the start again in a minute`,
      `[4/4] linus@example.org (student, ${LINUS}): the workspace has no such cluster; \`npx cdktf deploy\` makes it again`,
    ]);
    expect(workspace!.state.clusters![ADA].state).toBe("PENDING");
    expect(workspace!.requests).toContain("POST /api/2.1/clusters/start");
  });

  test("stop: terminates the running and starting ones (never a permanent delete), leaves the stopped", async () => {
    const api = await client({
      [OWN]: { state: "RUNNING" },
      [ADA]: { state: "PENDING" },
      [GRACE]: { state: "TERMINATED" },
      [LINUS]: { state: "RESIZING" },
    });
    const results = await switchClusters(api, await labClusters(api, state(CLASS)), "stop");
    expect(results.map((r) => [r.owner, r.outcome])).toEqual([
      ["learner@example.org", "requested"],
      ["ada@example.org", "requested"],
      ["grace@example.org", "unchanged"],
      ["linus@example.org", "requested"],
    ]);
    expect(Object.values(workspace!.state.clusters!).map((c) => c.state)).toEqual([
      "TERMINATING",
      "TERMINATING",
      "TERMINATED",
      "TERMINATING",
    ]);
    expect(workspace!.requests.filter((r) => r.startsWith("POST")).sort()).toEqual([
      "POST /api/2.1/clusters/delete",
      "POST /api/2.1/clusters/delete",
      "POST /api/2.1/clusters/delete",
    ]);
  });

  test("a call the workspace fails is that cluster's failure, with Databricks' code", async () => {
    const api = await client({ [OWN]: { state: "TERMINATED" } }, /POST \/api\/2\.1\/clusters\/start/);
    const [result] = await switchClusters(api, await labClusters(api, state([])), "start");
    expect(result).toEqual({
      owner: "learner@example.org",
      role: "instructor",
      id: OWN,
      outcome: "failed",
      detail: "INTERNAL_ERROR: something broke",
    });
  });
});
