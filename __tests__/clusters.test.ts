import { clusterStatuses, formatStatus, labClusters, switchClusters } from "../lab/databricks/clusters";
import { LabState, readLabState } from "../lab/state/local-state";
import type { Cluster } from "./emulator/state";
import { tempDir } from "./helpers/dbc";
import { LabWorkspace, putCluster, startLabWorkspace } from "./helpers/lab-workspace";
import { writeDeployedState } from "./helpers/state";

// Cluster ids as the state helper writes them: the lab's own, then one per student.
const OWN = "1130-083000-abcdefgh";
const ADA = "1130-083000-adaexamp";
const GRACE = "1130-083000-graceexa";
const LINUS = "1130-083000-linusexa";
const CLASS = ["ada@example.org", "grace@example.org", "linus@example.org"];

let ws: LabWorkspace;
beforeEach(async () => {
  ws = await startLabWorkspace();
});
afterEach(() => ws.close());

function state(students: string[], outputs: Record<string, unknown> = {}): LabState {
  const dir = tempDir("clusters-");
  writeDeployedState(dir, { students, outputs });
  return readLabState(dir, "dp090-ddl")!;
}

function withClusters(clusters: Record<string, Parameters<typeof putCluster>[2]>) {
  for (const [id, c] of Object.entries(clusters)) putCluster(ws.db, id, c);
  return ws.client;
}

const event = (id: string, type: string, timestamp: number) => ({ cluster_id: id, type, timestamp, details: {} });
const quotaReason = {
  code: "AZURE_QUOTA_EXCEEDED_EXCEPTION",
  type: "CLIENT_ERROR",
  parameters: { azure_error_code: "OperationNotAllowed" },
};

describe("npm run status (clusterStatuses)", () => {
  test("running, stopped and failed clusters, whose each is, and the reason Databricks gives", async () => {
    const api = withClusters({
      [OWN]: { state: "RUNNING" },
      [ADA]: {
        state: "TERMINATED",
        state_message: "Inactive cluster terminated (inactive for 120 minutes).",
        termination_reason: { code: "INACTIVITY", type: "SUCCESS", parameters: { inactivity_duration_min: "120" } },
        events: [event(ADA, "TERMINATING", 1764585000000)],
      },
      [GRACE]: {
        state: "TERMINATED",
        state_message: "Azure quota exceeded.",
        termination_reason: quotaReason,
        events: [event(GRACE, "CREATING", 1764585000000), event(GRACE, "TERMINATING", 1764585100000)],
      },
    });
    const statuses = await clusterStatuses(api, await labClusters(api, state(CLASS)));
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
        message: "Azure quota exceeded.",
        reason: quotaReason,
        lastEvent: { type: "TERMINATING", timestamp: 1764585100000 },
      },
      expect.objectContaining({ owner: "linus@example.org", id: LINUS, state: "MISSING", failed: true }),
    ]);
  });

  test.each([
    ["ERROR", undefined, true],
    ["PENDING", undefined, false],
    ["TERMINATED", { code: "USER_REQUEST", type: "SUCCESS" }, false],
    ["TERMINATED", { code: "DRIVER_UNREACHABLE", type: "SERVICE_FAULT" }, true],
    ["TERMINATED", { code: "INVALID_ARGUMENT", type: "CLIENT_ERROR" }, true],
  ])("state %s with reason %j: failed is %s", async (clusterState, reason, failed) => {
    const api = withClusters({ [OWN]: { state: clusterState as Cluster["state"], termination_reason: reason } });
    const [status] = await clusterStatuses(api, await labClusters(api, state([])));
    expect([status.state, status.failed]).toEqual([clusterState, failed]);
  });

  test("a start that fails for lack of quota shows as failed, with Azure's reason", async () => {
    const api = withClusters({ [ADA]: { state: "TERMINATED", spec: { single_user_name: "ada@example.org" } } });
    ws.emulator.faults.clusterQuota.push({ match: /ada@/, count: 1 });
    const targets = (await labClusters(api, state(["ada@example.org"]))).filter((t) => t.id === ADA);
    expect((await switchClusters(api, targets, "start"))[0].outcome).toBe("requested");
    const [status] = await clusterStatuses(api, targets);
    expect(status).toMatchObject({
      state: "TERMINATED",
      failed: true,
      reason: { code: "AZURE_QUOTA_EXCEEDED_EXCEPTION", type: "CLIENT_ERROR" },
      lastEvent: { type: "TERMINATING" },
    });
  });

  test("policy compute: the clusters students made within the class's policy, not others", async () => {
    const lab = state(["ada@example.org"], { student_policy_id: "POLICY1" });
    const api = withClusters({
      [OWN]: { state: "RUNNING" },
      "c-ada": { spec: { policy_id: "POLICY1", single_user_name: "ada@example.org", cluster_name: "ada's" } },
      "c-other": { spec: { policy_id: "OTHER", single_user_name: "someone@example.org" } },
      [ADA]: { state: "TERMINATED" },
    });
    expect((await labClusters(api, lab)).map((t) => [t.owner, t.role, t.id, t.name])).toEqual([
      ["learner@example.org", "instructor", OWN, "dp090-ddl-cpu"],
      ["ada@example.org", "student", ADA, "dp090-ddl-ada@example.org"],
      ["ada@example.org", "student", "c-ada", "ada's"],
    ]);
  });
});

describe("npm run clusters -- start|stop (switchClusters)", () => {
  test("start: starts the stopped ones, leaves the running ones, reports progress and a failure", async () => {
    const api = withClusters({
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
    expect(ws.emulator.requests.filter((r) => r.route === "clusters start")).toHaveLength(1);
    expect(ws.db.clusters.get(ADA)!.state).not.toBe("TERMINATED");
  });

  test("stop: terminates the running and starting ones (never a permanent delete), leaves the stopped", async () => {
    const api = withClusters({
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
    expect([...ws.db.clusters.values()].map((c) => c.state)).toEqual([
      "TERMINATED",
      "TERMINATED",
      "TERMINATED",
      "TERMINATED",
    ]);
    expect(ws.db.clusters.size).toBe(4);
    expect(ws.emulator.requests.filter((r) => r.method === "POST").map((r) => r.route)).toEqual([
      "clusters terminate",
      "clusters terminate",
      "clusters terminate",
    ]);
  });

  test("a call the workspace fails is that cluster's failure, with Databricks' code", async () => {
    const api = withClusters({ [OWN]: { state: "TERMINATED" } });
    ws.emulator.faults.bursts.push({ match: /^POST \/api\/2\.1\/clusters\/start/, status: 500, count: 1 });
    const [result] = await switchClusters(api, await labClusters(api, state([])), "start");
    expect(result).toEqual({
      owner: "learner@example.org",
      role: "instructor",
      id: OWN,
      outcome: "failed",
      detail: "INTERNAL_ERROR: Something went wrong.",
    });
  });
});

describe("npm run status's report", () => {
  test("a line per cluster, the reason and the last event under a stopped one, and the count", async () => {
    const api = withClusters({
      [OWN]: { state: "RUNNING" },
      [ADA]: {
        state: "TERMINATED",
        state_message: "Azure quota exceeded.",
        termination_reason: quotaReason,
        events: [event(ADA, "TERMINATING", 1764585100000)],
      },
    });
    const report = formatStatus(
      "dp090-ddl",
      "https://adb-1.azuredatabricks.net",
      await clusterStatuses(api, await labClusters(api, state(["ada@example.org"]))),
    );
    expect(report.split("\n")).toEqual([
      "Clusters of lab dp090-ddl (https://adb-1.azuredatabricks.net):",
      `  RUNNING           learner@example.org (instructor)  dp090-ddl-cpu [${OWN}]`,
      `  FAILED TERMINATED ada@example.org (student)         dp090-ddl-ada@example.org [${ADA}]`,
      "      reason: AZURE_QUOTA_EXCEEDED_EXCEPTION (CLIENT_ERROR): azure_error_code=OperationNotAllowed",
      "      Azure quota exceeded.",
      "      last event: TERMINATING at 2025-12-01T10:31:40.000Z",
      "",
      "2 clusters: 1 running, 0 starting, 0 stopped, 1 failed.",
    ]);
  });
});

describe("policy compute's clusters are found across pages of clusters/list", () => {
  test("every page is read, following next_page_token", async () => {
    const pages: Record<string, object> = {
      "": {
        clusters: [{ cluster_id: "c1", policy_id: "P", single_user_name: "ada@example.org" }],
        next_page_token: "t2",
      },
      t2: { clusters: [{ cluster_id: "c2", policy_id: "P", single_user_name: "grace@example.org" }] },
    };
    const asked: unknown[] = [];
    // A client that answers only clusters/list, page by page: the emulator lists in one page.
    const paging = {
      get: async (_path: string, query: { page_token?: string }) => {
        asked.push(query);
        return pages[query.page_token ?? ""];
      },
    } as unknown as Parameters<typeof labClusters>[0];
    const lab = { ...state(["ada@example.org", "grace@example.org"], { student_policy_id: "P" }), clusters: [] };
    expect((await labClusters(paging, lab)).map((t) => [t.id, t.owner, t.role])).toEqual([
      ["c1", "ada@example.org", "student"],
      ["c2", "grace@example.org", "student"],
    ]);
    expect(asked).toEqual([{ page_size: 100 }, { page_size: 100, page_token: "t2" }]);
  });
});
