// Object permissions (/api/2.0/permissions/<type>/<id>): GET the list with what each principal
// has directly and by inheritance, PUT to replace the direct grants. The provider's calls and the
// levels each type allows: permissions/resource_permissions.go, permissions/permission_definitions.go.
import { Context } from "../context";
import { Route, dbError, ok, route } from "../http";
import { AccessControl, DatabricksState } from "../state";

interface ObjectType {
  /** `object_type` in the answer. */
  readonly name: string;
  readonly levels: readonly string[];
  exists(db: DatabricksState, id: string): boolean;
  /** Objects whose grants this one inherits (a folder's parents), as `<type>/<id>`. */
  parents(db: DatabricksState, id: string): string[];
}

function folderParents(db: DatabricksState, id: string): string[] {
  const self = [...db.objects.values()].find((o) => String(o.object_id) === id);
  if (!self) return [];
  const parents: string[] = [];
  let path = self.path;
  while (path !== "/" && path.includes("/")) {
    path = path.slice(0, path.lastIndexOf("/")) || "/";
    const parent = db.objects.get(path);
    if (parent) parents.push(`directories/${parent.object_id}`);
  }
  return parents;
}

const TYPES: Record<string, ObjectType> = {
  clusters: {
    name: "cluster",
    levels: ["CAN_ATTACH_TO", "CAN_RESTART", "CAN_MANAGE"],
    exists: (db, id) => db.clusters.has(id),
    parents: () => [],
  },
  directories: {
    name: "directory",
    levels: ["CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
    exists: (db, id) =>
      [...db.objects.values()].some((o) => String(o.object_id) === id && o.object_type === "DIRECTORY"),
    parents: folderParents,
  },
  notebooks: {
    name: "notebook",
    levels: ["CAN_READ", "CAN_RUN", "CAN_EDIT", "CAN_MANAGE"],
    exists: (db, id) =>
      [...db.objects.values()].some((o) => String(o.object_id) === id && o.object_type === "NOTEBOOK"),
    parents: folderParents,
  },
  "cluster-policies": {
    name: "cluster-policy",
    levels: ["CAN_USE"],
    exists: (db, id) => db.policies.has(id),
    parents: () => [],
  },
};

/**
 * A grant may only name a principal that exists: "Principal: UserName(x) does not exist"
 * (github.com/databricks/cli/issues/4488, terraform-provider-databricks/issues/2302); the provider
 * does not retry it. A service principal is named by `service_principal_name` (its application
 * id): as `user_name` it is not found either.
 */
export function missingPrincipal(db: DatabricksState, entry: AccessControl): string | undefined {
  if (entry.user_name !== undefined) {
    const known = [...db.users.values()].some((u) => u.userName.toLowerCase() === entry.user_name!.toLowerCase());
    return known ? undefined : `UserName(${entry.user_name})`;
  }
  if (entry.group_name !== undefined) {
    return [...db.groups.values()].some((g) => g.displayName === entry.group_name)
      ? undefined
      : `GroupName(${entry.group_name})`;
  }
  if (entry.service_principal_name !== undefined) {
    return db.servicePrincipals.has(entry.service_principal_name)
      ? undefined
      : `ServicePrincipalName(${entry.service_principal_name})`;
  }
  return "an entry without user_name, group_name or service_principal_name";
}

const principalKey = (e: AccessControl) =>
  e.user_name !== undefined
    ? `u:${e.user_name}`
    : e.group_name !== undefined
      ? `g:${e.group_name}`
      : `s:${e.service_principal_name}`;

export function permissionRoutes(_ctx: Context, db: () => DatabricksState): Route[] {
  const resolve = (type: string, id: string) => {
    const t = TYPES[type];
    if (!t) return { error: dbError(400, "INVALID_PARAMETER_VALUE", `Unknown object type ${type}.`) };
    if (!t.exists(db(), id)) {
      return { error: dbError(404, "RESOURCE_DOES_NOT_EXIST", `${t.name} ${id} does not exist.`) };
    }
    return { type: t };
  };
  const answer = (type: string, id: string, t: ObjectType) => {
    const key = `${type}/${id}`;
    const rows = new Map<
      string,
      {
        entry: AccessControl;
        all: { permission_level: string; inherited: boolean; inherited_from_object?: string[] }[];
      }
    >();
    const add = (e: AccessControl, inheritedFrom?: string) => {
      const k = principalKey(e);
      const row = rows.get(k) ?? { entry: e, all: [] };
      row.all.push({
        permission_level: e.permission_level,
        inherited: inheritedFrom !== undefined,
        ...(inheritedFrom !== undefined ? { inherited_from_object: [inheritedFrom] } : {}),
      });
      rows.set(k, row);
    };
    for (const e of db().acls.get(key) ?? []) add(e);
    for (const parent of t.parents(db(), id)) for (const e of db().acls.get(parent) ?? []) add(e, `/${parent}`);
    // Workspace admins manage everything, by inheritance from the type's root.
    add(
      { group_name: "admins", permission_level: t.name === "cluster-policy" ? "CAN_USE" : "CAN_MANAGE" },
      `/${type}/`,
    );
    return ok({
      object_id: `/${type}/${id}`,
      object_type: t.name,
      access_control_list: [...rows.values()].map(({ entry, all }) => ({
        ...(entry.user_name !== undefined ? { user_name: entry.user_name, display_name: entry.user_name } : {}),
        ...(entry.group_name !== undefined ? { group_name: entry.group_name } : {}),
        ...(entry.service_principal_name !== undefined ? { service_principal_name: entry.service_principal_name } : {}),
        all_permissions: all,
      })),
    });
  };

  return [
    route("GET", /^\/api\/2\.0\/permissions\/([a-z-]+)\/([^/]+)$/, "permissions get", (call) => {
      const { error, type } = resolve(call.params[0], call.params[1]);
      return error ?? answer(call.params[0], call.params[1], type!);
    }),
    route("PUT", /^\/api\/2\.0\/permissions\/([a-z-]+)\/([^/]+)$/, "permissions set", (call) => {
      const [typeName, id] = call.params;
      const { error, type } = resolve(typeName, id);
      if (error) return error;
      const entries: AccessControl[] = (call.body?.access_control_list ?? []).map((e: any) => ({
        ...(e.user_name ? { user_name: e.user_name } : {}),
        ...(e.group_name ? { group_name: e.group_name } : {}),
        ...(e.service_principal_name ? { service_principal_name: e.service_principal_name } : {}),
        permission_level: e.permission_level,
      }));
      for (const entry of entries) {
        if (!type!.levels.includes(entry.permission_level)) {
          return dbError(
            400,
            "INVALID_PARAMETER_VALUE",
            `Permission level ${entry.permission_level} is not supported for ${type!.name} objects; allowed: ${type!.levels.join(", ")}.`,
          );
        }
        const missing = missingPrincipal(db(), entry);
        if (missing) return dbError(400, "INVALID_PARAMETER_VALUE", `Principal: ${missing} does not exist`);
      }
      db().acls.set(`${typeName}/${id}`, entries);
      return answer(typeName, id, type!);
    }),
  ];
}
