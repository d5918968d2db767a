// SCIM 2.0 as a Databricks workspace serves it (/api/2.0/preview/scim/v2): Me, Users, Groups and
// their members. Calls and shapes from the provider: scim/users.go, scim/groups.go,
// scim/resource_user.go (a taken user name fails "User with username X already exists.", which
// `force` recognises), scim/resource_group_member.go (PATCH add / remove `members[value eq "id"]`).
import { Context, nextId } from "../context";
import { Call, Route, ok, route, scimError } from "../http";
import { DatabricksState, Group, User } from "../state";

const SCIM = "^\\/api\\/2\\.0\\/preview\\/scim\\/v2";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/** Entitlements a request names ([{value: ""}] is the provider's "none"). */
const entitlementsOf = (body: any): string[] =>
  (body?.entitlements ?? []).map((e: { value?: string }) => e.value).filter((v: string | undefined) => !!v);

export function groupsOf(db: DatabricksState, memberId: string): Group[] {
  return [...db.groups.values()].filter((g) => g.members.includes(memberId) || g.displayName === "users");
}

export function userBody(db: DatabricksState, user: User) {
  return {
    schemas: [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:workspace:2.0:User"],
    id: user.id,
    userName: user.userName,
    displayName: user.displayName,
    active: user.active,
    emails: [{ type: "work", value: user.userName, primary: true }],
    name: { givenName: user.displayName },
    ...(user.externalId ? { externalId: user.externalId } : {}),
    entitlements: user.entitlements.map((value) => ({ value })),
    groups: groupsOf(db, user.id)
      .filter((g) => g.displayName !== "users")
      .map((g) => ({ value: g.id, display: g.displayName, type: "direct", $ref: `Groups/${g.id}` })),
  };
}

function groupBody(db: DatabricksState, group: Group) {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    entitlements: group.entitlements.map((value) => ({ value })),
    members: (group.displayName === "users" ? [...db.users.keys()] : group.members).map((id) => ({
      value: id,
      display: db.users.get(id)?.displayName ?? db.groups.get(id)?.displayName,
      $ref: db.users.has(id) ? `Users/${id}` : `Groups/${id}`,
    })),
    groups: [],
    meta: { resourceType: "WorkspaceGroup" },
  };
}

/** `attr eq "value"` filters, the only form the provider sends. */
function filterOf(call: Call): { attr: string; value: string } | undefined {
  const m = /^\s*(\w+)\s+eq\s+["']?([^"']*)["']?\s*$/i.exec(call.query.get("filter") ?? "");
  return m ? { attr: m[1], value: m[2] } : undefined;
}

const list = (resources: unknown[]) =>
  ok({
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  });

/**
 * The `users` system group carries no entitlements once a workspace's entitlements are migrated,
 * the default for new workspaces, and nobody can change that: "Migrate workspace entitlement
 * control" (docs.databricks.com/aws/en/security/auth/system-group-entitlements-migration).
 */
function usersGroupRefuses(group: Group, entitlements: string[]) {
  return group.displayName === "users" && entitlements.length > 0
    ? scimError(
        400,
        "Entitlements of the users group cannot be changed: grant them to each principal or to another group.",
      )
    : undefined;
}

export function scimRoutes(ctx: Context, db: () => DatabricksState): Route[] {
  const me = () => [...db().users.values()].find((u) => u.userName === ctx.deployer);
  const user = (id: string) => db().users.get(id);
  const group = (id: string) => db().groups.get(id);
  const userNotFound = (id: string) => scimError(404, `User ${id} not found.`);
  const groupNotFound = (id: string) => scimError(404, `Group with id ${id} not found.`);

  return [
    route("GET", new RegExp(`${SCIM}/Me$`), "scim me", () => {
      const sp = db().servicePrincipals.get(ctx.deployer);
      if (sp) {
        return ok({
          schemas: [USER_SCHEMA],
          id: sp.id,
          userName: sp.applicationId,
          displayName: sp.displayName,
          active: true,
          groups: [...db().groups.values()]
            .filter((g) => g.members.includes(sp.id))
            .map((g) => ({ value: g.id, display: g.displayName })),
        });
      }
      const deployer = me();
      return deployer ? ok(userBody(db(), deployer)) : scimError(401, "The caller is not a user of this workspace.");
    }),

    route("GET", new RegExp(`${SCIM}/Users$`), "scim users list", (call) => {
      const filter = filterOf(call);
      const users = [...db().users.values()].filter(
        (u) => !filter || String((u as any)[filter.attr] ?? "").toLowerCase() === filter.value.toLowerCase(),
      );
      return list(users.map((u) => userBody(db(), u)));
    }),
    route("POST", new RegExp(`${SCIM}/Users$`), "scim user create", (call) => {
      const userName = String(call.body?.userName ?? "");
      if (!userName) return scimError(400, "userName is required.");
      if ([...db().users.values()].some((u) => u.userName.toLowerCase() === userName.toLowerCase())) {
        return scimError(409, `User with username ${userName} already exists.`);
      }
      const id = String(nextId(db()));
      const created: User = {
        id,
        userName,
        displayName: call.body?.displayName || userName,
        active: call.body?.active ?? true,
        externalId: call.body?.externalId || undefined,
        entitlements: entitlementsOf(call.body),
      };
      db().users.set(id, created);
      return { status: 201, body: userBody(db(), created) };
    }),
    route("GET", new RegExp(`${SCIM}/Users/([^/]+)$`), "scim user get", (call) => {
      const u = user(call.params[0]);
      return u ? ok(userBody(db(), u)) : userNotFound(call.params[0]);
    }),
    route("PUT", new RegExp(`${SCIM}/Users/([^/]+)$`), "scim user replace", (call) => {
      const u = user(call.params[0]);
      if (!u) return userNotFound(call.params[0]);
      u.displayName = call.body?.displayName || u.userName;
      u.active = call.body?.active ?? true;
      u.externalId = call.body?.externalId || undefined;
      u.entitlements = entitlementsOf(call.body);
      return ok(userBody(db(), u));
    }),
    route("PATCH", new RegExp(`${SCIM}/Users/([^/]+)$`), "scim user patch", (call) => {
      const u = user(call.params[0]);
      if (!u) return userNotFound(call.params[0]);
      for (const op of call.body?.Operations ?? []) {
        const values: string[] = (Array.isArray(op.value) ? op.value : [op.value]).map((v: any) => v?.value ?? v);
        if (op.path === "active") u.active = String(values[0]) === "true";
        else if (op.path === "entitlements" && op.op === "add")
          u.entitlements = [...new Set([...u.entitlements, ...values])];
        else if (op.path === "entitlements" && op.op === "remove")
          u.entitlements = u.entitlements.filter((e) => !values.includes(e));
        else if (/^entitlements\[value eq "([^"]+)"\]$/.test(op.path ?? "") && op.op === "remove") {
          const value = /"([^"]+)"/.exec(op.path)![1];
          u.entitlements = u.entitlements.filter((e) => e !== value);
        } else return scimError(400, `Unsupported patch operation ${op.op} ${op.path}.`);
      }
      return { status: 204 };
    }),
    route("DELETE", new RegExp(`${SCIM}/Users/([^/]+)$`), "scim user delete", (call) => {
      const u = user(call.params[0]);
      if (!u) return userNotFound(call.params[0]);
      if (u.userName === ctx.deployer) return scimError(400, "You cannot delete yourself.");
      db().users.delete(u.id);
      for (const g of db().groups.values()) g.members = g.members.filter((m) => m !== u.id);
      return { status: 204 };
    }),

    route("GET", new RegExp(`${SCIM}/Groups$`), "scim groups list", (call) => {
      const filter = filterOf(call);
      const groups = [...db().groups.values()].filter(
        (g) => !filter || String((g as any)[filter.attr] ?? "").toLowerCase() === filter.value.toLowerCase(),
      );
      return list(groups.map((g) => groupBody(db(), g)));
    }),
    route("POST", new RegExp(`${SCIM}/Groups$`), "scim group create", (call) => {
      const displayName = String(call.body?.displayName ?? "");
      if (!displayName) return scimError(400, "displayName is required.");
      if ([...db().groups.values()].some((g) => g.displayName.toLowerCase() === displayName.toLowerCase())) {
        return scimError(409, `Group with name ${displayName} already exists.`);
      }
      const id = String(nextId(db()));
      const created: Group = {
        id,
        displayName,
        externalId: call.body?.externalId || undefined,
        entitlements: entitlementsOf(call.body),
        members: (call.body?.members ?? []).map((m: { value: string }) => m.value),
      };
      db().groups.set(id, created);
      return { status: 201, body: groupBody(db(), created) };
    }),
    route("GET", new RegExp(`${SCIM}/Groups/([^/]+)$`), "scim group get", (call) => {
      const g = group(call.params[0]);
      return g ? ok(groupBody(db(), g)) : groupNotFound(call.params[0]);
    }),
    route("PUT", new RegExp(`${SCIM}/Groups/([^/]+)$`), "scim group replace", (call) => {
      const g = group(call.params[0]);
      if (!g) return groupNotFound(call.params[0]);
      const entitlements = entitlementsOf(call.body);
      const refused = usersGroupRefuses(g, entitlements);
      if (refused) return refused;
      g.displayName = call.body?.displayName ?? g.displayName;
      g.externalId = call.body?.externalId || undefined;
      g.entitlements = entitlements;
      g.members = (call.body?.members ?? []).map((m: { value: string }) => m.value);
      return ok(groupBody(db(), g));
    }),
    route("PATCH", new RegExp(`${SCIM}/Groups/([^/]+)$`), "scim group patch", (call) => {
      const g = group(call.params[0]);
      if (!g) return groupNotFound(call.params[0]);
      for (const op of call.body?.Operations ?? []) {
        const values: string[] = (Array.isArray(op.value) ? op.value : [op.value]).map((v: any) => v?.value ?? v);
        const removeMember = /^members\[value eq "([^"]+)"\]$/.exec(op.path ?? "");
        if (op.op === "add" && op.path === "members") {
          for (const id of values) {
            if (!db().users.has(id) && !db().groups.has(id)) return scimError(404, `Member ${id} not found.`);
            if (!g.members.includes(id)) g.members.push(id);
          }
        } else if (op.op === "remove" && removeMember) {
          g.members = g.members.filter((m) => m !== removeMember[1]);
        } else if (op.path === "entitlements") {
          const next =
            op.op === "add"
              ? [...new Set([...g.entitlements, ...values])]
              : g.entitlements.filter((e) => !values.includes(e));
          const refused = usersGroupRefuses(g, next);
          if (refused) return refused;
          g.entitlements = next;
        } else return scimError(400, `Unsupported patch operation ${op.op} ${op.path}.`);
      }
      return { status: 204 };
    }),
    route("DELETE", new RegExp(`${SCIM}/Groups/([^/]+)$`), "scim group delete", (call) => {
      const g = group(call.params[0]);
      if (!g) return groupNotFound(call.params[0]);
      if (g.displayName === "admins" || g.displayName === "users")
        return scimError(400, `The ${g.displayName} group cannot be deleted.`);
      db().groups.delete(g.id);
      return { status: 204 };
    }),
  ];
}
