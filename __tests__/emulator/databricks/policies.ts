// Cluster policies (/api/2.0/policies/clusters) and policy families (/api/2.0/policy-families).
// The provider's calls: policies/resource_cluster_policy.go (a built-in family's policy, found by
// family id and name, is edited in place instead of created, and on destroy edited back with no
// overrides).
import { Context } from "../context";
import { Route, dbError, ok, route } from "../http";
import { DatabricksState, Policy } from "../state";
import { POLICY_FAMILIES, familyDefinition } from "./seed";

/**
 * The attribute paths a policy may limit ("Compute policy reference", docs.databricks.com/admin/
 * clusters/policy-definition: supported attributes and virtual attribute paths). `.*` stands for
 * any key of a map (spark_conf.<key>, custom_tags.<key>) or index of a list (init_scripts.<n>...).
 */
const POLICY_PATHS = [
  "autoscale.max_workers",
  "autoscale.min_workers",
  "autotermination_minutes",
  "azure_attributes.availability",
  "azure_attributes.first_on_demand",
  "azure_attributes.spot_bid_max_price",
  "cluster_log_conf.path",
  "cluster_log_conf.type",
  "cluster_log_conf.destination",
  "cluster_name",
  "custom_tags.*",
  "data_security_mode",
  "docker_image.basic_auth.password",
  "docker_image.basic_auth.username",
  "docker_image.url",
  "driver_instance_pool_id",
  "driver_node_type_id",
  "enable_elastic_disk",
  "enable_local_disk_encryption",
  "init_scripts.*",
  "instance_pool_id",
  "is_single_node",
  "kind",
  "node_type_id",
  "num_workers",
  "runtime_engine",
  "single_user_name",
  "spark_conf.*",
  "spark_env_vars.*",
  "spark_version",
  "ssh_public_keys.*",
  "use_ml_runtime",
  "workload_type.clients.jobs",
  "workload_type.clients.notebooks",
  // virtual attributes
  "cluster_type",
  "dbus_per_hour",
];

export function unknownPolicyPaths(definition: string): string[] | string {
  let rules: Record<string, unknown>;
  try {
    rules = JSON.parse(definition);
  } catch {
    return "the definition is not valid JSON";
  }
  return Object.keys(rules).filter(
    (path) =>
      !POLICY_PATHS.some((known) =>
        known.endsWith(".*") ? path.startsWith(known.slice(0, -1)) && path.length > known.length - 1 : known === path,
      ),
  );
}

export function policyBody(p: Policy) {
  return {
    policy_id: p.policy_id,
    name: p.name,
    ...(p.definition !== undefined ? { definition: p.definition } : {}),
    ...(p.description ? { description: p.description } : {}),
    ...(p.max_clusters_per_user !== undefined ? { max_clusters_per_user: p.max_clusters_per_user } : {}),
    ...(p.policy_family_id ? { policy_family_id: p.policy_family_id } : {}),
    ...(p.policy_family_definition_overrides
      ? { policy_family_definition_overrides: p.policy_family_definition_overrides }
      : {}),
    ...(p.creator_user_name ? { creator_user_name: p.creator_user_name } : {}),
    created_at_timestamp: p.created_at_timestamp,
    ...(p.is_default ? { is_default: true } : {}),
  };
}

export function policyRoutes(ctx: Context, db: () => DatabricksState): Route[] {
  const missing = (id: unknown) =>
    dbError(404, "RESOURCE_DOES_NOT_EXIST", `Can't find a cluster policy with id: ${id}.`);
  /** Applies a create or edit request to `p`: every field is replaced (edit takes the whole policy). */
  const apply = (p: Policy, body: any) => {
    if (!body?.name) return dbError(400, "INVALID_PARAMETER_VALUE", "Cluster policy name is required.");
    const clash = [...db().policies.values()].find((x) => x.name === body.name && x.policy_id !== p.policy_id);
    if (clash) return dbError(400, "INVALID_PARAMETER_VALUE", `Cluster policy with name ${body.name} already exists.`);
    const familyId = body.policy_family_id || undefined;
    if (familyId && !POLICY_FAMILIES.some((f) => f.policy_family_id === familyId)) {
      return dbError(400, "INVALID_PARAMETER_VALUE", `Policy family ${familyId} does not exist.`);
    }
    if (familyId && body.definition) {
      return dbError(
        400,
        "INVALID_PARAMETER_VALUE",
        "A policy with a policy family takes overrides, not a definition.",
      );
    }
    for (const text of [body.definition, body.policy_family_definition_overrides].filter(Boolean)) {
      const unknown = unknownPolicyPaths(text);
      if (typeof unknown === "string")
        return dbError(400, "INVALID_PARAMETER_VALUE", `Invalid policy definition: ${unknown}.`);
      if (unknown.length) {
        return dbError(
          400,
          "INVALID_PARAMETER_VALUE",
          `Invalid policy definition: unknown attribute path(s) ${unknown.join(", ")}.`,
        );
      }
    }
    p.name = body.name;
    p.description = body.description || undefined;
    p.max_clusters_per_user = body.max_clusters_per_user;
    p.policy_family_id = familyId;
    p.policy_family_definition_overrides = body.policy_family_definition_overrides || undefined;
    p.definition = familyId
      ? familyDefinition(familyId, p.policy_family_definition_overrides)
      : (body.definition ?? "{}");
    return undefined;
  };

  return [
    route("GET", /^\/api\/2\.0\/policy-families$/, "policy-families list", () =>
      ok({ policy_families: POLICY_FAMILIES }),
    ),
    route("GET", /^\/api\/2\.0\/policy-families\/([^/]+)$/, "policy-families get", (call) => {
      const family = POLICY_FAMILIES.find((f) => f.policy_family_id === call.params[0]);
      return family
        ? ok(family)
        : dbError(404, "RESOURCE_DOES_NOT_EXIST", `Policy family ${call.params[0]} does not exist.`);
    }),
    route("GET", /^\/api\/2\.0\/policies\/clusters\/list$/, "policies list", () =>
      ok({ policies: [...db().policies.values()].map(policyBody), total_count: db().policies.size }),
    ),
    route("GET", /^\/api\/2\.0\/policies\/clusters\/get$/, "policies get", (call) => {
      const p = db().policies.get(call.query.get("policy_id") ?? "");
      return p ? ok(policyBody(p)) : missing(call.query.get("policy_id"));
    }),
    route("POST", /^\/api\/2\.0\/policies\/clusters\/create$/, "policies create", (call) => {
      const id = `E1${String(db().nextId + 1).padStart(14, "0")}`;
      db().nextId += 1;
      const p: Policy = { policy_id: id, name: "", creator_user_name: ctx.deployer, created_at_timestamp: ctx.now() };
      const refused = apply(p, call.body);
      if (refused) return refused;
      db().policies.set(id, p);
      return ok({ policy_id: id });
    }),
    route("POST", /^\/api\/2\.0\/policies\/clusters\/edit$/, "policies edit", (call) => {
      const existing = db().policies.get(String(call.body?.policy_id ?? ""));
      if (!existing) return missing(call.body?.policy_id);
      const next = { ...existing };
      const refused = apply(next, call.body);
      if (refused) return refused;
      db().policies.set(next.policy_id, next);
      return ok({});
    }),
    route("POST", /^\/api\/2\.0\/policies\/clusters\/delete$/, "policies delete", (call) => {
      const p = db().policies.get(String(call.body?.policy_id ?? ""));
      if (!p) return missing(call.body?.policy_id);
      if (p.is_default)
        return dbError(400, "INVALID_PARAMETER_VALUE", `The default policy ${p.name} cannot be deleted.`);
      db().policies.delete(p.policy_id);
      db().acls.delete(`cluster-policies/${p.policy_id}`);
      return ok({});
    }),
  ];
}
