import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors";

/** The state file format Terraform 0.12 and later writes. */
export const STATE_FORMAT_VERSION = 4;

/** The resource group as the last apply left it. */
export interface ResourceGroupState {
  readonly name: string;
  readonly location: string;
}

export interface WorkspaceState {
  readonly name: string;
  readonly location: string;
  readonly sku: string;
  readonly managedResourceGroupName: string;
  /** `adb-….azuredatabricks.net`, without the scheme, as azurerm stores it. */
  readonly workspaceUrl: string;
}

export interface ClusterState {
  /** The Databricks cluster id, for the Clusters API. */
  readonly id: string;
  readonly name: string;
  readonly nodeType: string;
  readonly workers: number;
  readonly runtime: string;
  /** The one user the cluster is dedicated to: the deploying user's, or a student's. */
  readonly singleUserName: string;
  /** A single node (Spark's single-node profile, or `is_single_node`): it cannot become multi-node. */
  readonly singleNode: boolean;
}

export interface NotebookState {
  /** Workspace path of the imported folder. */
  readonly path: string;
  /** The `.dbc` Terraform imported, as written in the configuration. */
  readonly source: string;
  /** The archive's sha256, when the source is named by it (as the lab's assets are). */
  readonly sha256?: string;
}

/** A student of a class, as the state lists them. */
export interface StudentState {
  readonly email: string;
  /** Their folder, when the state has one ending in their address. */
  readonly folder?: string;
}

/** What a lab's local state says exists: read only, never written. */
export interface LabState {
  /** The lab's name (the stack's), from the file name. */
  readonly name: string;
  readonly file: string;
  readonly resourceGroup?: ResourceGroupState;
  readonly workspace?: WorkspaceState;
  readonly clusters: readonly ClusterState[];
  readonly notebooks: readonly NotebookState[];
  /** The class's students (workspace users the lab created). */
  readonly students: readonly StudentState[];
  /** The outputs of the last apply, by name. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** A state file that cannot be read as Terraform writes it. */
export class StateError extends UserError {
  constructor(
    /** The state file. */
    public readonly file: string,
    /** What is wrong with it, naming the file. */
    public readonly problem: string,
    /** How to get a readable state back. */
    public readonly fix: string,
  ) {
    super(`${problem}\nFix: ${fix}`);
  }
}

/** cdktf's local backend keeps a stack's state beside the project as `terraform.<stack>.tfstate`. */
export function stateFileOf(cwd: string, labName: string): string {
  return join(cwd, `terraform.${labName}.tfstate`);
}

const STATE_FILE = /^terraform\.(.+)\.tfstate$/;

/** The lab's state, or undefined when it has none (never deployed, or destroyed: no resources). */
export function readLabState(cwd: string, labName: string): LabState | undefined {
  const file = stateFileOf(cwd, labName);
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new StateError(
      file,
      `The state file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`,
      `make it a readable file (or move it away if it is not a state); ${restoreFix(labName)}`,
    );
  }
  return labStateOf(text, labName, file);
}

/**
 * A lab's state from the text of a state file, wherever it was read (`where` names it in messages
 * and becomes `file`); undefined when it lists no resources.
 */
export function labStateOf(text: string, labName: string, where: string): LabState | undefined {
  const state = parseState(text, where, labName);
  return isEmpty(state) ? undefined : state;
}

function restoreFix(labName: string): string {
  return `restore it from terraform.${labName}.tfstate.backup or your own copy; never edit it by hand.`;
}

/**
 * Every lab in the folder that still has resources in its state, by name; a state file that cannot
 * be read is listed apart, so one broken file does not hide (or block) the others.
 */
export function findLabStates(
  cwd: string,
  /** A lab to leave out, such as the one whose state the caller has read already. */
  except?: string,
): { labs: LabState[]; unreadable: StateError[] } {
  const labs: LabState[] = [];
  const unreadable: StateError[] = [];
  const names = readdirSync(cwd)
    .map((name) => STATE_FILE.exec(name)?.[1])
    .filter((name): name is string => name !== undefined && name !== except)
    .sort();
  for (const name of names) {
    try {
      const state = readLabState(cwd, name);
      if (state) labs.push(state);
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      unreadable.push(e);
    }
  }
  return { labs, unreadable };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What a JSON value is, in words, for a message about a value of the wrong shape. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * Reads a state file of any content: a lab state, or a `StateError` naming the file and the part
 * that is not as Terraform writes it (never a TypeError on `null`, a list, or `resources` that is
 * not a list).
 */
function parseState(content: string, file: string, name: string): LabState {
  const restore = restoreFix(name);
  const damaged = (what: string) =>
    new StateError(file, `The state file ${file} is not a Terraform state: ${what}.`, restore);
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (e) {
    throw new StateError(file, `The state file ${file} is not valid JSON (${(e as Error).message}).`, restore);
  }
  if (!isObject(json)) throw damaged(`it holds ${kindOf(json)}, not an object`);
  if (json.version !== STATE_FORMAT_VERSION) {
    throw new StateError(
      file,
      `The state file ${file} has format version ${JSON.stringify(json.version) ?? "undefined"}; the lab reads version ${STATE_FORMAT_VERSION}, which Terraform 0.12 and later write.`,
      "open it with the Terraform that wrote it (terraform state pull), or restore the backup.",
    );
  }
  const resources = json.resources ?? [];
  if (!Array.isArray(resources)) throw damaged(`its "resources" is ${kindOf(resources)}, not a list`);
  const instances: { type: unknown; attributes: Json }[] = resources.flatMap((r: unknown, i) => {
    if (!isObject(r)) throw damaged(`resources[${i}] is ${kindOf(r)}, not an object`);
    if (r.mode !== "managed") return [];
    const list = r.instances ?? [];
    if (!Array.isArray(list)) throw damaged(`resources[${i}].instances is ${kindOf(list)}, not a list`);
    return list.map((instance: unknown, k) => {
      const attributes = isObject(instance) ? (instance.attributes ?? {}) : instance;
      if (!isObject(attributes)) {
        throw damaged(`resources[${i}].instances[${k}] has no attributes object (${kindOf(attributes)})`);
      }
      return { type: r.type, attributes };
    });
  });
  const outputs = json.outputs ?? {};
  if (!isObject(outputs)) throw damaged(`its "outputs" is ${kindOf(outputs)}, not an object`);

  const attributes = (type: string) => instances.filter((i) => i.type === type).map((i) => i.attributes);
  const text = (a: Json, key: string) => (typeof a[key] === "string" ? a[key] : "");

  const group = attributes("azurerm_resource_group")[0];
  const workspace = attributes("azurerm_databricks_workspace")[0];
  return {
    name,
    file,
    resourceGroup: group && { name: text(group, "name"), location: text(group, "location") },
    workspace: workspace && {
      name: text(workspace, "name"),
      location: text(workspace, "location"),
      sku: text(workspace, "sku"),
      managedResourceGroupName: text(workspace, "managed_resource_group_name"),
      workspaceUrl: text(workspace, "workspace_url"),
    },
    clusters: attributes("databricks_cluster").map((c) => ({
      id: text(c, "cluster_id") || text(c, "id"),
      name: text(c, "cluster_name"),
      nodeType: text(c, "node_type_id"),
      workers: typeof c.num_workers === "number" ? c.num_workers : 0,
      runtime: text(c, "spark_version"),
      singleUserName: text(c, "single_user_name"),
      singleNode:
        c.is_single_node === true ||
        (isObject(c.spark_conf) && c.spark_conf["spark.databricks.cluster.profile"] === "singleNode"),
    })),
    students: attributes("databricks_user").map((u) => {
      const email = text(u, "user_name");
      const folder = attributes("databricks_directory")
        .map((d) => text(d, "path"))
        .find((path) => path.endsWith(`/${email}`));
      return folder ? { email, folder } : { email };
    }),
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, isObject(o) ? o.value : undefined])),
    notebooks: attributes("databricks_notebook").map((n) => ({
      path: text(n, "path"),
      source: text(n, "source"),
      sha256: /([0-9a-f]{64})\.dbc$/.exec(text(n, "source"))?.[1],
    })),
  };
}

function isEmpty(state: LabState): boolean {
  return (
    !state.resourceGroup &&
    !state.workspace &&
    state.clusters.length === 0 &&
    state.notebooks.length === 0 &&
    state.students.length === 0
  );
}
