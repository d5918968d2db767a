import { DatabricksApiError, DatabricksClient } from "./client";
import { inPool } from "./export-work";
import { LabState } from "../state/local-state";
import { ClusterTarget, Role, clusterTargets } from "./lab-targets";

/** Why Databricks stopped a cluster (Clusters API `termination_reason`). */
export interface TerminationReason {
  readonly code: string;
  /** SUCCESS (idle, a user's request), CLIENT_ERROR, SERVICE_FAULT or CLOUD_FAILURE. */
  readonly type?: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

/** One cluster as `npm run status` reports it; fields in a fixed order for stable `--json`. */
export interface ClusterStatus {
  readonly owner: string;
  readonly role: Role;
  readonly name: string;
  readonly id: string;
  /** Databricks' state (PENDING, RUNNING, RESTARTING, RESIZING, TERMINATING, TERMINATED, ERROR, UNKNOWN), or MISSING. */
  readonly state: string;
  /** Whether it failed: ERROR, stopped for a reason other than SUCCESS, or gone. */
  readonly failed: boolean;
  readonly message?: string;
  readonly reason?: TerminationReason;
  /** The latest cluster event, for a cluster that is not running. */
  readonly lastEvent?: { readonly type: string; readonly timestamp: number };
}

interface ClusterDetails {
  readonly cluster_id?: string;
  readonly cluster_name?: string;
  readonly state?: string;
  readonly state_message?: string;
  readonly termination_reason?: { code?: string; type?: string; parameters?: Record<string, string> };
  readonly single_user_name?: string;
  readonly creator_user_name?: string;
  readonly policy_id?: string;
}

/** States in which a cluster runs or is on its way to running. */
const UP = new Set(["PENDING", "RUNNING", "RESTARTING", "RESIZING"]);

/**
 * Every cluster of the lab: those the state lists (the lab's own, personal compute's) and, with policy
 * compute, those students made within the class's policy.
 */
export async function labClusters(client: DatabricksClient, state: LabState): Promise<ClusterTarget[]> {
  const policyId = state.outputs.student_policy_id;
  const students = new Set(state.students.map((s) => s.email.toLowerCase()));
  return [
    ...clusterTargets(state),
    ...(typeof policyId === "string" ? await policyClusters(client, policyId, students) : []),
  ];
}

/**
 * The clusters students made themselves within the class's policy (policy compute): the state does
 * not list them, the Clusters API does (paged).
 */
async function policyClusters(client: DatabricksClient, policyId: string, students: ReadonlySet<string>) {
  const found: ClusterTarget[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.get<{ clusters?: ClusterDetails[]; next_page_token?: string }>("/api/2.1/clusters/list", {
      page_size: 100,
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    for (const c of page.clusters ?? []) {
      if (c.policy_id !== policyId || !c.cluster_id) continue;
      const owner = c.single_user_name ?? c.creator_user_name ?? "?";
      found.push({
        id: c.cluster_id,
        name: c.cluster_name ?? c.cluster_id,
        owner,
        role: students.has(owner.toLowerCase()) ? "student" : "instructor",
      });
    }
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return found.sort((a, b) => a.owner.localeCompare(b.owner) || a.id.localeCompare(b.id));
}

/** The state of each cluster, with Databricks' reason when it stopped or failed. */
export async function clusterStatuses(
  client: DatabricksClient,
  targets: readonly ClusterTarget[],
  concurrency = 4,
): Promise<ClusterStatus[]> {
  return inPool(targets, concurrency, async (target) => {
    const base = { owner: target.owner, role: target.role, name: target.name, id: target.id };
    let details: ClusterDetails;
    try {
      details = await client.get<ClusterDetails>("/api/2.1/clusters/get", { cluster_id: target.id });
    } catch (e) {
      if (isGone(e))
        return {
          ...base,
          state: "MISSING",
          failed: true,
          message:
            "the workspace has no such cluster (Databricks deletes a stopped, unpinned cluster after 30 days); `npx cdktf deploy` makes it again.",
        };
      throw e;
    }
    const state = details.state ?? "UNKNOWN";
    const reason = details.termination_reason?.code
      ? {
          code: details.termination_reason.code,
          ...(details.termination_reason.type ? { type: details.termination_reason.type } : {}),
          ...(details.termination_reason.parameters ? { parameters: details.termination_reason.parameters } : {}),
        }
      : undefined;
    const failed =
      state === "ERROR" ||
      state === "UNKNOWN" ||
      (state === "TERMINATED" && reason?.type !== undefined && reason.type !== "SUCCESS");
    const lastEvent = UP.has(state) ? undefined : await latestEvent(client, target.id);
    return {
      ...base,
      state,
      failed,
      ...(details.state_message ? { message: details.state_message } : {}),
      ...(reason && !UP.has(state) ? { reason } : {}),
      ...(lastEvent ? { lastEvent } : {}),
    };
  });
}

async function latestEvent(client: DatabricksClient, clusterId: string) {
  const { events = [] } = await client.post<{ events?: { type?: string; timestamp?: number }[] }>(
    "/api/2.1/clusters/events",
    { cluster_id: clusterId, order: "DESC", limit: 1 },
  );
  const event = events[0];
  return event?.type ? { type: event.type, timestamp: event.timestamp ?? 0 } : undefined;
}

/** What `npm run clusters -- start|stop` did to one cluster. */
export interface ClusterAction {
  readonly owner: string;
  readonly role: Role;
  readonly id: string;
  readonly outcome: "requested" | "unchanged" | "failed";
  readonly detail: string;
}

/**
 * Starts (or stops) every cluster that is not already so: a start on a stopped cluster, a terminate
 * (not a delete: the cluster and its settings stay) on a running one. Returns at once; a start takes
 * minutes, which `npm run status` shows.
 */
export async function switchClusters(
  client: DatabricksClient,
  targets: readonly ClusterTarget[],
  action: "start" | "stop",
  options: { readonly log?: (line: string) => void; readonly concurrency?: number } = {},
): Promise<ClusterAction[]> {
  let done = 0;
  return inPool(targets, options.concurrency ?? 4, async (target) => {
    const result = await switchOne(client, target, action);
    done += 1;
    options.log?.(`[${done}/${targets.length}] ${target.owner} (${target.role}, ${target.id}): ${result.detail}`);
    return result;
  });
}

async function switchOne(client: DatabricksClient, target: ClusterTarget, action: "start" | "stop") {
  const base = { owner: target.owner, role: target.role, id: target.id };
  try {
    const { state = "UNKNOWN" } = await client.get<ClusterDetails>("/api/2.1/clusters/get", { cluster_id: target.id });
    if (action === "start") {
      if (UP.has(state)) return { ...base, outcome: "unchanged" as const, detail: `already ${state}` };
      if (state === "TERMINATING")
        return { ...base, outcome: "failed" as const, detail: "still TERMINATING; run the start again in a minute" };
      await client.post("/api/2.1/clusters/start", { cluster_id: target.id });
      return { ...base, outcome: "requested" as const, detail: `start requested (was ${state})` };
    }
    if (!UP.has(state)) return { ...base, outcome: "unchanged" as const, detail: `already ${state}` };
    await client.post("/api/2.1/clusters/delete", { cluster_id: target.id });
    return { ...base, outcome: "requested" as const, detail: `stop requested (was ${state})` };
  } catch (e) {
    const detail = isGone(e)
      ? "the workspace has no such cluster; `npx cdktf deploy` makes it again"
      : e instanceof DatabricksApiError
        ? `${e.errorCode}: ${e.detail}`
        : (e as Error).message;
    return { ...base, outcome: "failed" as const, detail };
  }
}

/**
 * How the Clusters API says a `clusters/get` names no cluster: 404 RESOURCE_DOES_NOT_EXIST, or (as
 * older workspaces answer) 400 INVALID_PARAMETER_VALUE, the only parameter being the id.
 */
function isGone(e: unknown): boolean {
  return (
    e instanceof DatabricksApiError &&
    (e.errorCode === "RESOURCE_DOES_NOT_EXIST" || e.errorCode === "INVALID_PARAMETER_VALUE")
  );
}

/** The status as a person reads it in a terminal: a line per cluster, its reason under it, a count. */
export function formatStatus(lab: string, host: string, clusters: readonly ClusterStatus[]): string {
  const width = Math.max(0, ...clusters.map((c) => c.owner.length + c.role.length + 3));
  const lines = [`Clusters of lab ${lab} (${host}):`];
  for (const c of clusters) {
    const label = c.failed ? `FAILED ${c.state}` : c.state;
    lines.push(`  ${label.padEnd(17)} ${`${c.owner} (${c.role})`.padEnd(width)}  ${c.name} [${c.id}]`);
    if (c.reason) {
      const params = Object.entries(c.reason.parameters ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      lines.push(
        `      reason: ${c.reason.code}${c.reason.type ? ` (${c.reason.type})` : ""}${params ? `: ${params}` : ""}`,
      );
    }
    if (c.message) lines.push(`      ${c.message}`);
    if (c.lastEvent)
      lines.push(`      last event: ${c.lastEvent.type} at ${new Date(c.lastEvent.timestamp).toISOString()}`);
  }
  const count = (test: (c: ClusterStatus) => boolean) => clusters.filter(test).length;
  lines.push(
    "",
    clusters.length === 0
      ? "The lab has no clusters (policy compute: students have not created theirs yet)."
      : `${clusters.length} clusters: ${count((c) => c.state === "RUNNING")} running, ${count((c) => ["PENDING", "RESTARTING", "RESIZING"].includes(c.state))} starting, ${count((c) => !c.failed && ["TERMINATED", "TERMINATING"].includes(c.state))} stopped, ${count((c) => c.failed)} failed.`,
  );
  return lines.join("\n");
}
