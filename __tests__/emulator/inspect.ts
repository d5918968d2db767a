// What a test checks after a destroy: whatever the emulator still holds, each named.
import { POLICY_FAMILIES, SEEDED_GROUPS } from "./databricks/seed";
import { DatabricksState, EmulatorState } from "./state";

export function leftovers(state: EmulatorState): string[] {
  return [
    ...[...state.resourceGroups.values()].map((g) => `resource group ${g.name}${g.managedBy ? " (managed)" : ""}`),
    ...[...state.workspaces.values()].map((w) => `workspace ${w.name} (${w.provisioningState})`),
    ...[...state.resources.values()].map((r) => `${r.type} ${r.name}`),
  ];
}

/** What a workspace holds beyond what it had when new: users, groups, folders, clusters, policies, settings. */
export function workspaceContents(db: DatabricksState, deployer: string): string[] {
  const seededPaths = new Set(["/", "/Users", "/Shared", "/Repos", `/Users/${deployer}`]);
  return [
    ...[...db.users.values()].filter((u) => u.userName !== deployer).map((u) => `user ${u.userName}`),
    ...[...db.groups.values()]
      .filter((g) => !SEEDED_GROUPS.includes(g.displayName))
      .map((g) => `group ${g.displayName}`),
    ...[...db.groups.values()]
      .filter((g) => g.displayName === "admins" && g.members.length !== 1)
      .map((g) => `group admins with ${g.members.length} members`),
    ...[...db.objects.values()]
      .filter((o) => !seededPaths.has(o.path))
      .map((o) => `${o.object_type.toLowerCase()} ${o.path}`),
    ...[...db.clusters.values()].map((c) => `cluster ${c.spec.cluster_name ?? c.cluster_id}`),
    ...[...db.policies.values()]
      .filter((p) => !p.is_default || !POLICY_FAMILIES.some((f) => f.policy_family_id === p.policy_family_id))
      .map((p) => `cluster policy ${p.name}`),
    ...[...db.policies.values()]
      .filter((p) => p.is_default && p.policy_family_definition_overrides)
      .map((p) => `overrides on the built-in policy ${p.name}`),
    ...[...db.ipAccessLists.values()].map((l) => `IP access list ${l.label}`),
    ...Object.entries(db.conf)
      .filter(([, v]) => v !== "" && v !== "false")
      .map(([k, v]) => `workspace setting ${k}=${v}`),
  ];
}
