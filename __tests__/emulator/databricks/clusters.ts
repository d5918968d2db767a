// Clusters (/api/2.1/clusters). The provider's calls: clusters/resource_cluster.go (create, pin,
// get until RUNNING unless no_wait, list filter_by.is_pinned=true to read is_pinned, edit or
// resize, permanent-delete, unpin and retry on "unpin the cluster first"). The SDK's waiter stops
// on TERMINATED or ERROR with "failed to reach RUNNING, got TERMINATED: <state_message>"
// (databricks-sdk-go service/compute/api.go WaitGetClusterRunning).
import { Context, nextId } from "../context";
import { Route, dbError, ok, route } from "../http";
import { Cluster, DatabricksState } from "../state";
import { egressAllowed } from "./ip-access-lists";

const CL = "^\\/api\\/2\\.[01]\\/clusters";

/**
 * "The pinned clusters' maximum number is limited to 100" (provider docs/resources/cluster.md,
 * is_pinned, linking docs.databricks.com/clusters/clusters-manage.html#pin-a-cluster).
 */
export const MAX_PINNED = 100;

/** Runtimes and node types the data sources list: the lab's, and their neighbours. */
const SPARK_VERSIONS = [
  ["15.4.x-cpu-ml-scala2.12", "15.4 LTS ML (includes Apache Spark 3.5.0, Scala 2.12)"],
  ["15.4.x-gpu-ml-scala2.12", "15.4 LTS ML (includes Apache Spark 3.5.0, GPU, Scala 2.12)"],
  ["16.4.x-cpu-ml-scala2.12", "16.4 LTS ML (includes Apache Spark 3.5.2, Scala 2.12)"],
  ["16.4.x-gpu-ml-scala2.12", "16.4 LTS ML (includes Apache Spark 3.5.2, GPU, Scala 2.12)"],
  ["15.4.x-scala2.12", "15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)"],
];
const NODE_TYPES = [
  { node_type_id: "Standard_DS3_v2", memory_mb: 14336, num_cores: 4, num_gpus: 0, category: "General Purpose" },
  { node_type_id: "Standard_DS4_v2", memory_mb: 28672, num_cores: 8, num_gpus: 0, category: "General Purpose" },
  { node_type_id: "Standard_D4ds_v5", memory_mb: 16384, num_cores: 4, num_gpus: 0, category: "General Purpose" },
  { node_type_id: "Standard_NC4as_T4_v3", memory_mb: 28672, num_cores: 4, num_gpus: 1, category: "GPU Accelerated" },
];

/** What the API returns for a cluster: the spec as sent, plus what the server fills in. */
export function clusterBody(c: Cluster) {
  const spec = c.spec;
  return {
    ...spec,
    cluster_id: c.cluster_id,
    creator_user_name: c.creator_user_name,
    // Server defaults (API reference, clusters/get ClusterDetails); the provider marks
    // enable_elastic_disk, enable_local_disk_encryption, node types and azure_attributes
    // computed or suppressed (clusters/resource_cluster.go CustomizeSchema).
    driver_node_type_id: spec.driver_node_type_id ?? spec.node_type_id,
    enable_elastic_disk: spec.enable_elastic_disk ?? true,
    enable_local_disk_encryption: spec.enable_local_disk_encryption ?? false,
    disk_spec: {},
    azure_attributes: {
      first_on_demand: 1,
      availability: "ON_DEMAND_AZURE",
      spot_bid_max_price: -1,
      ...spec.azure_attributes,
    },
    autotermination_minutes: spec.autotermination_minutes ?? 120,
    effective_spark_version: spec.spark_version,
    default_tags: {
      Vendor: "Databricks",
      Creator: c.creator_user_name,
      ClusterName: spec.cluster_name ?? "",
      ClusterId: c.cluster_id,
    },
    cluster_source: "API",
    state: c.state,
    state_message: c.state_message,
    start_time: c.start_time,
    ...(c.terminated_time ? { terminated_time: c.terminated_time } : {}),
    ...(c.termination_reason ? { termination_reason: c.termination_reason } : {}),
    ...(c.state === "RUNNING"
      ? { spark_context_id: c.start_time, jdbc_port: 10000, cluster_memory_mb: 14336, cluster_cores: 4 }
      : {}),
    spec,
  };
}

function event(c: Cluster, type: string, time: number, details: Record<string, unknown> = {}) {
  c.events.push({ cluster_id: c.cluster_id, timestamp: time, type, details });
}

export function clusterRoutes(ctx: Context, db: () => DatabricksState): Route[] {
  const find = (id: unknown) => db().clusters.get(String(id ?? ""));
  const missing = (id: unknown) => dbError(400, "INVALID_PARAMETER_VALUE", `Cluster ${id} does not exist`);
  const launch = (c: Cluster, type: "CREATING" | "STARTING" | "RESTARTING") => {
    const time = ctx.now();
    c.state = type === "RESTARTING" ? "RESTARTING" : "PENDING";
    c.state_message =
      type === "RESTARTING"
        ? "Restarting Spark"
        : "Finding instances for new nodes, acquiring more instances if necessary";
    c.terminated_time = undefined;
    c.termination_reason = undefined;
    c.start_time = time;
    c.readyAt = time + ctx.latency.clusterStart;
    event(c, type, time, type === "CREATING" ? { user: c.creator_user_name } : {});
  };

  return [
    route("GET", new RegExp(`${CL}/spark-versions$`), "clusters spark-versions", () =>
      ok({ versions: SPARK_VERSIONS.map(([key, name]) => ({ key, name })) }),
    ),
    route("GET", new RegExp(`${CL}/list-node-types$`), "clusters list-node-types", () =>
      ok({
        node_types: NODE_TYPES.map((n) => ({
          ...n,
          description: n.node_type_id,
          instance_type_id: n.node_type_id,
          is_deprecated: false,
          node_info: { available_core_quota: 350, total_core_quota: 350 },
        })),
      }),
    ),
    route("POST", new RegExp(`${CL}/create$`), "clusters create", (call) => {
      const spec = { ...call.body };
      if (!spec.spark_version) return dbError(400, "INVALID_PARAMETER_VALUE", "Missing required field: spark_version");
      if (!spec.node_type_id && !spec.instance_pool_id) {
        return dbError(400, "INVALID_PARAMETER_VALUE", "Missing required field: node_type_id");
      }
      if (!SPARK_VERSIONS.some(([key]) => key === spec.spark_version)) {
        return dbError(400, "INVALID_PARAMETER_VALUE", `Invalid spark version ${spec.spark_version}.`);
      }
      for (const node of [spec.node_type_id, spec.driver_node_type_id].filter(Boolean)) {
        if (!NODE_TYPES.some((n) => n.node_type_id === node)) {
          return dbError(400, "INVALID_PARAMETER_VALUE", `Node type ${node} is not supported.`);
        }
      }
      delete spec.idempotency_token;
      const n = nextId(db());
      const id = `1201-${String(n).padStart(6, "0")}-emu${String(n % 100000).padStart(5, "0")}`;
      const c: Cluster = {
        spec,
        cluster_id: id,
        creator_user_name: ctx.deployer,
        state: "PENDING",
        state_message: "",
        start_time: ctx.now(),
        pinned: false,
        events: [],
      };
      db().clusters.set(id, c);
      // The creator may manage what they created.
      db().acls.set(`clusters/${id}`, [{ user_name: ctx.deployer, permission_level: "CAN_MANAGE" }]);
      launch(c, "CREATING");
      return ok({ cluster_id: id });
    }),
    route("GET", new RegExp(`${CL}/get$`), "clusters get", (call) => {
      const c = find(call.query.get("cluster_id"));
      return c ? ok(clusterBody(c)) : missing(call.query.get("cluster_id"));
    }),
    route("GET", new RegExp(`${CL}/list$`), "clusters list", (call) => {
      const pinnedOnly = call.query.get("filter_by.is_pinned") === "true";
      const states = call.query.getAll("filter_by.cluster_states");
      const clusters = [...db().clusters.values()].filter(
        (c) => (!pinnedOnly || c.pinned) && (!states.length || states.includes(c.state)),
      );
      // Pages of `page_size` (API reference, clusters/list: page_size, page_token, next_page_token).
      const size = Number(call.query.get("page_size") ?? 0) || clusters.length;
      const start = Number(call.query.get("page_token") ?? 0) || 0;
      const page = clusters.slice(start, start + size);
      const next = start + size < clusters.length ? String(start + size) : undefined;
      return ok({
        ...(page.length ? { clusters: page.map(clusterBody) } : {}),
        ...(next ? { next_page_token: next } : {}),
        ...(start > 0 ? { prev_page_token: String(Math.max(0, start - size)) } : {}),
      });
    }),
    route("POST", new RegExp(`${CL}/edit$`), "clusters edit", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      // Only RUNNING and TERMINATED clusters can be edited; the provider retries INVALID_STATE.
      if (c.state !== "RUNNING" && c.state !== "TERMINATED") {
        return dbError(400, "INVALID_STATE", `Cluster ${c.cluster_id} is in unexpected state ${c.state}.`);
      }
      const { cluster_id: _id, idempotency_token: _token, ...spec } = call.body;
      c.spec = spec;
      event(c, "EDITED", ctx.now(), { user: ctx.deployer });
      if (c.state === "RUNNING") launch(c, "RESTARTING");
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/resize$`), "clusters resize", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      if (c.state !== "RUNNING")
        return dbError(400, "INVALID_STATE", `Cluster ${c.cluster_id} is in unexpected state ${c.state}.`);
      if (call.body.num_workers !== undefined) c.spec.num_workers = call.body.num_workers;
      if (call.body.autoscale) c.spec.autoscale = call.body.autoscale;
      event(c, "RESIZING", ctx.now());
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/start$`), "clusters start", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      if (c.state !== "TERMINATED")
        return dbError(400, "INVALID_STATE", `Cluster ${c.cluster_id} is in unexpected state ${c.state}.`);
      launch(c, "STARTING");
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/restart$`), "clusters restart", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      if (c.state !== "RUNNING")
        return dbError(400, "INVALID_STATE", `Cluster ${c.cluster_id} is in unexpected state ${c.state}.`);
      launch(c, "RESTARTING");
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/delete$`), "clusters terminate", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      if (c.state !== "TERMINATED")
        terminate(ctx, c, { code: "USER_REQUEST", type: "SUCCESS", parameters: { username: ctx.deployer } }, "");
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/permanent-delete$`), "clusters permanent-delete", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      // The provider unpins and retries on this message (resourceClusterDelete).
      if (c.pinned) return dbError(400, "INVALID_STATE", "You should unpin the cluster first");
      db().clusters.delete(c.cluster_id);
      db().acls.delete(`clusters/${c.cluster_id}`);
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/pin$`), "clusters pin", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      const pinned = [...db().clusters.values()].filter((x) => x.pinned).length;
      if (!c.pinned && pinned >= MAX_PINNED) {
        return dbError(400, "QUOTA_EXCEEDED", `Cannot pin more than ${MAX_PINNED} clusters.`);
      }
      if (!c.pinned) event(c, "PINNED", ctx.now(), { user: ctx.deployer });
      c.pinned = true;
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/unpin$`), "clusters unpin", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      if (c.pinned) event(c, "UNPINNED", ctx.now(), { user: ctx.deployer });
      c.pinned = false;
      return ok({});
    }),
    route("POST", new RegExp(`${CL}/events$`), "clusters events", (call) => {
      const c = find(call.body?.cluster_id);
      if (!c) return missing(call.body?.cluster_id);
      const types: string[] | undefined = call.body?.event_types;
      const events = c.events.filter((e) => !types?.length || types.includes(e.type));
      const ordered = call.body?.order === "ASC" ? events : [...events].reverse();
      const limit = Number(call.body?.limit ?? 50);
      return ok({ events: ordered.slice(0, limit), total_count: events.length });
    }),
  ];
}

export function terminate(
  ctx: Context,
  c: Cluster,
  reason: NonNullable<Cluster["termination_reason"]>,
  message: string,
): void {
  const time = ctx.now();
  c.state = "TERMINATED";
  c.state_message = message;
  c.terminated_time = time;
  c.termination_reason = reason;
  c.readyAt = undefined;
  c.events.push({ cluster_id: c.cluster_id, timestamp: time, type: "TERMINATING", details: { reason } });
}

/** Moves clusters whose start is due to RUNNING, or to TERMINATED when a fault or a rule stops them. */
export function settleClusters(ctx: Context, db: DatabricksState): void {
  for (const c of db.clusters.values()) {
    if (c.readyAt === undefined || ctx.now() < c.readyAt) continue;
    c.readyAt = undefined;
    const quota = ctx.faults.clusterQuota.find(
      (f) => f.count > 0 && (f.match.test(c.spec.cluster_name ?? "") || f.match.test(c.spec.single_user_name ?? "")),
    );
    if (quota) {
      quota.count -= 1;
      ctx.note(`fault: cluster ${c.spec.cluster_name} terminated at start for lack of quota`);
      const family = /^Standard_NC/.test(c.spec.node_type_id ?? "")
        ? "Standard NCASv3_T4 Family"
        : "standardDSv2Family";
      terminate(
        ctx,
        c,
        {
          code: "AZURE_QUOTA_EXCEEDED_EXCEPTION",
          type: "CLIENT_ERROR",
          parameters: {
            azure_error_code: "OperationNotAllowed",
            azure_error_message: `Operation could not be completed as it results in exceeding approved ${family} Cores quota.`,
          },
        },
        `Azure quota exceeded: the ${family} cores quota of the subscription is too low to start the cluster.`,
      );
      continue;
    }
    // "Configure IP access lists for workspaces" (learn.microsoft.com/azure/databricks/security/
    // network/front-end/ip-access-list-workspace): with secure cluster connectivity the compute
    // plane reaches the control plane from its egress address (the managed NAT gateway's public
    // IP), which must be allowed, or classic compute cannot launch.
    const blocked = db.egressAddresses.find((address) => !egressAllowed(db, address));
    if (blocked) {
      terminate(
        ctx,
        c,
        { code: "CONTROL_PLANE_REQUEST_FAILURE", type: "CLIENT_ERROR" },
        `The compute plane's egress address ${blocked} is not allowed by the workspace's IP access lists: the cluster could not reach the control plane.`,
      );
      continue;
    }
    c.state = "RUNNING";
    c.state_message = "";
    c.events.push({ cluster_id: c.cluster_id, timestamp: ctx.now(), type: "RUNNING", details: {} });
  }
}
