// What a new Azure Databricks workspace holds before anyone changes it: the deployer as its first
// admin (the identity that created the workspace), the `admins` and `users` system groups, the
// root folders, the built-in compute policies, no IP access lists.
import { Context, nextId } from "../context";
import { DatabricksState, Policy } from "../state";

/** Built-in policy families (GET /api/2.0/policy-families); the provider matches id and name. */
export const POLICY_FAMILIES = [
  {
    policy_family_id: "personal-vm",
    name: "Personal Compute",
    description: "Use with small-to-medium data or libraries like pandas and scikit-learn. Spark runs in local mode.",
    definition: JSON.stringify({
      "spark_conf.spark.databricks.cluster.profile": { type: "fixed", value: "singleNode", hidden: true },
      num_workers: { type: "fixed", value: 0, hidden: true },
      cluster_type: { type: "fixed", value: "all-purpose" },
      data_security_mode: { type: "allowlist", values: ["SINGLE_USER"], defaultValue: "SINGLE_USER", hidden: true },
      "azure_attributes.availability": { type: "fixed", value: "ON_DEMAND_AZURE", hidden: true },
      instance_pool_id: { type: "forbidden", hidden: true },
      autotermination_minutes: { type: "unlimited", defaultValue: 4320, isOptional: true },
    }),
  },
  {
    policy_family_id: "power-user",
    name: "Power User Compute",
    description: "Use with larger data or libraries that need multiple nodes.",
    definition: JSON.stringify({ cluster_type: { type: "fixed", value: "all-purpose" } }),
  },
  {
    policy_family_id: "job-cluster",
    name: "Job Compute",
    description: "Use for jobs.",
    definition: JSON.stringify({ cluster_type: { type: "fixed", value: "job" } }),
  },
  {
    policy_family_id: "shared-data-science",
    name: "Shared Compute",
    description: "Use for shared compute.",
    definition: JSON.stringify({ data_security_mode: { type: "fixed", value: "USER_ISOLATION", hidden: true } }),
  },
];

/** A policy's effective definition: its family's, with the overrides on top. */
export function familyDefinition(familyId: string, overrides?: string): string | undefined {
  const family = POLICY_FAMILIES.find((f) => f.policy_family_id === familyId);
  if (!family) return undefined;
  return JSON.stringify({ ...JSON.parse(family.definition), ...(overrides ? JSON.parse(overrides) : {}) });
}

/** The provider tells a service principal from a user the same way (scim/data_current_user.go, common.StringIsUUID). */
export const isApplicationId = (name: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name);

export const SEEDED_GROUPS = ["admins", "users"];

export function newDatabricks(
  ctx: Context,
  options: { callerAddress?: string; egressAddress?: string } = {},
): DatabricksState {
  const n = nextId(ctx.state);
  const db: DatabricksState = {
    workspaceId: String(1234567890000000 + n),
    users: new Map(),
    servicePrincipals: new Map(),
    groups: new Map(),
    objects: new Map(),
    clusters: new Map(),
    acls: new Map(),
    policies: new Map(),
    conf: {},
    ipAccessLists: new Map(),
    callerAddress: options.callerAddress ?? ctx.callerAddress,
    // The managed NAT gateway's public IP, one per workspace (a public address: the lab refuses
    // special-purpose ranges in an allow-list).
    egressAddresses: [options.egressAddress ?? `20.62.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`],
    nextId: 1000,
  };
  const deployer = String(nextId(db));
  if (isApplicationId(ctx.deployer)) {
    // A service principal deploying (CI): SCIM Me names it by its application id.
    db.servicePrincipals.set(ctx.deployer, { id: deployer, applicationId: ctx.deployer, displayName: "lab-deployer" });
  } else {
    db.users.set(deployer, {
      id: deployer,
      userName: ctx.deployer,
      displayName: ctx.deployer,
      active: true,
      // Workspace admins have every entitlement through `admins`; the user row carries none.
      entitlements: [],
    });
  }
  for (const name of SEEDED_GROUPS) {
    const id = String(nextId(db));
    db.groups.set(id, { id, displayName: name, entitlements: [], members: name === "admins" ? [deployer] : [] });
  }
  const time = ctx.now();
  for (const path of ["/", "/Users", "/Shared", "/Repos", `/Users/${ctx.deployer}`]) {
    db.objects.set(path, {
      object_id: nextId(db),
      object_type: "DIRECTORY",
      path,
      created_at: time,
      modified_at: time,
      ...(path.startsWith("/Users/") ? { owner: ctx.deployer } : {}),
    });
  }
  for (const family of POLICY_FAMILIES.filter((f) => f.policy_family_id !== "job-cluster")) {
    const policy: Policy = {
      policy_id: `E0${String(nextId(db)).padStart(14, "0")}`,
      name: family.name,
      policy_family_id: family.policy_family_id,
      definition: family.definition,
      description: family.description,
      created_at_timestamp: time,
      is_default: true,
    };
    db.policies.set(policy.policy_id, policy);
  }
  return db;
}
