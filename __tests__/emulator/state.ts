// What the emulator holds: Azure (resource groups, workspaces, what a workspace puts in its
// managed resource group, the preflight's reads) and, per workspace, the Databricks side.

export interface ResourceGroup {
  id: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  /** Who made it: the lab (through the provider), or a workspace (its managed group). */
  managedBy?: string;
}

/** A resource in a resource group other than a workspace: what a workspace creates in its managed group. */
export interface GenericResource {
  id: string;
  name: string;
  type: string;
  location: string;
  properties: Record<string, unknown>;
}

export interface Workspace {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  sku: string;
  tags?: Record<string, string>;
  properties: Record<string, any>;
  /** Provisioning: "Accepted" until the creation's delay has passed, then "Succeeded" (or "Failed"). */
  provisioningState: string;
  /** The Databricks side, once provisioned. */
  databricks: DatabricksState;
}

export interface ComplexValue {
  value: string;
  display?: string;
  $ref?: string;
  type?: string;
}

export interface User {
  id: string;
  userName: string;
  displayName: string;
  active: boolean;
  externalId?: string;
  entitlements: string[];
}

export interface Group {
  id: string;
  displayName: string;
  externalId?: string;
  entitlements: string[];
  /** Member ids (users or groups). */
  members: string[];
}

export interface WorkspaceObject {
  object_id: number;
  object_type: "DIRECTORY" | "NOTEBOOK" | "FILE";
  path: string;
  language?: string;
  created_at: number;
  modified_at: number;
  /** What was imported (base64), for export. */
  content?: string;
  /** The user whose home this is (`/Users/<name>`), if any. */
  owner?: string;
}

export interface ClusterEvent {
  cluster_id: string;
  timestamp: number;
  type: string;
  details: Record<string, unknown>;
}

export interface Cluster {
  /** The spec as sent to create or edit. */
  spec: Record<string, any>;
  cluster_id: string;
  creator_user_name: string;
  state: "PENDING" | "RUNNING" | "RESTARTING" | "RESIZING" | "TERMINATING" | "TERMINATED" | "ERROR";
  state_message: string;
  start_time: number;
  terminated_time?: number;
  termination_reason?: { code: string; type: string; parameters?: Record<string, string> };
  pinned: boolean;
  events: ClusterEvent[];
  /** When a PENDING cluster is due to reach its next state. */
  readyAt?: number;
}

export interface AccessControl {
  user_name?: string;
  group_name?: string;
  service_principal_name?: string;
  permission_level: string;
}

export interface Policy {
  policy_id: string;
  name: string;
  definition?: string;
  description?: string;
  max_clusters_per_user?: number;
  policy_family_id?: string;
  policy_family_definition_overrides?: string;
  creator_user_name?: string;
  created_at_timestamp: number;
  is_default?: boolean;
}

export interface IpAccessList {
  list_id: string;
  label: string;
  list_type: "ALLOW" | "BLOCK";
  ip_addresses: string[];
  enabled: boolean;
  created_at: number;
  created_by: number;
  updated_at: number;
  updated_by: number;
}

export interface DatabricksState {
  /** Numeric workspace id, as Azure reports it (`workspaceId`). */
  workspaceId: string;
  users: Map<string, User>;
  /** Service principals by application id (their `userName` in SCIM Me). */
  servicePrincipals: Map<string, { id: string; applicationId: string; displayName: string }>;
  groups: Map<string, Group>;
  objects: Map<string, WorkspaceObject>;
  clusters: Map<string, Cluster>;
  /** Direct grants, by `<request object type>/<id>` (`clusters/0101-…`, `directories/123`). */
  acls: Map<string, AccessControl[]>;
  policies: Map<string, Policy>;
  conf: Record<string, string>;
  ipAccessLists: Map<string, IpAccessList>;
  /** The public address the workspace sees the caller (Terraform) come from. */
  callerAddress: string;
  /** The workspace's compute-plane egress addresses (the managed NAT gateway's public IP). */
  egressAddresses: string[];
  nextId: number;
}

export interface EmulatorState {
  subscriptionId: string;
  tenantId: string;
  resourceGroups: Map<string, ResourceGroup>;
  /** Keyed by lower-cased resource id. */
  workspaces: Map<string, Workspace>;
  /** Keyed by lower-cased resource id. */
  resources: Map<string, GenericResource>;
  /** Resource provider namespaces and their registration state. */
  providers: Map<string, string>;
  /** Preflight reads: VM sizes and quotas per region, storage accounts (see compute.ts). */
  regions: Record<string, { skus: Sku[]; usages: Record<string, [number, number]> }>;
  storageAccounts: string[];
  /** Long-running operations by id: what they finish and when. */
  operations: Map<string, Operation>;
  nextId: number;
}

export interface Sku {
  name: string;
  family: string;
  vcpus: number;
  gpus?: number;
  /** Restricted for the subscription in this region. */
  restricted?: boolean;
}

export interface Operation {
  id: string;
  /** Milliseconds since the epoch when it is done. */
  doneAt: number;
  /** Set when it fails: the error Resource Manager reports in the operation's status. */
  error?: { code: string; message: string };
  /** What it does once done. */
  complete: () => void;
  completed?: boolean;
}
