// Resource groups as Resource Manager answers them (api-version 2020-06-01 and later): GET 404
// with {"error":{code,message}} when missing, PUT 201 (new) or 200, DELETE 202 then 404.
import { Context } from "../context";
import { Route, armError, ok, route } from "../http";
import { ResourceGroup } from "../state";
import { deleteWorkspace } from "./workspaces";

const RG = "^\\/subscriptions\\/([^/]+)\\/resourcegroups\\/([^/]+)";

export function groupBody(group: ResourceGroup) {
  return {
    id: group.id,
    name: group.name,
    type: "Microsoft.Resources/resourceGroups",
    location: group.location,
    ...(group.managedBy ? { managedBy: group.managedBy } : {}),
    ...(group.tags ? { tags: group.tags } : {}),
    properties: { provisioningState: "Succeeded" },
  };
}

export function findGroup(ctx: Context, name: string): ResourceGroup | undefined {
  return ctx.state.resourceGroups.get(name.toLowerCase());
}

const notFound = (name: string) =>
  armError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);

/** What a group holds: workspaces and the resources a workspace put in its managed group. */
export function groupContents(ctx: Context, name: string): { id: string; name: string; type: string }[] {
  const prefix = `/subscriptions/${ctx.state.subscriptionId}/resourcegroups/${name}/`.toLowerCase();
  return [
    ...[...ctx.state.workspaces.values()].map((w) => ({
      id: w.id,
      name: w.name,
      type: "Microsoft.Databricks/workspaces",
    })),
    ...ctx.state.resources.values(),
  ].filter((r) => r.id.toLowerCase().startsWith(prefix));
}

export function resourceGroupRoutes(ctx: Context): Route[] {
  const { state } = ctx;
  return [
    route("GET", new RegExp(`${RG}$`), "resource group get", (call) => {
      const group = findGroup(ctx, call.params[1]);
      return group ? ok(groupBody(group)) : notFound(call.params[1]);
    }),
    route("HEAD", new RegExp(`${RG}$`), "resource group exists", (call) =>
      findGroup(ctx, call.params[1]) ? { status: 204 } : { status: 404 },
    ),
    route("PUT", new RegExp(`${RG}$`), "resource group put", (call) => {
      const name = call.params[1];
      const existing = findGroup(ctx, name);
      if (!call.body?.location)
        return armError(400, "LocationRequired", "The location property is required for this definition.");
      if (existing && existing.location !== String(call.body.location).toLowerCase().replace(/\s/g, "")) {
        return armError(
          409,
          "InvalidResourceGroupLocation",
          `Invalid resource group location '${call.body.location}'. The Resource group already exists in location '${existing.location}'.`,
        );
      }
      const group: ResourceGroup = {
        id: `/subscriptions/${state.subscriptionId}/resourceGroups/${existing?.name ?? name}`,
        name: existing?.name ?? name,
        location: String(call.body.location).toLowerCase().replace(/\s/g, ""),
        tags: call.body.tags ?? undefined,
        managedBy: existing?.managedBy,
      };
      state.resourceGroups.set(name.toLowerCase(), group);
      return { status: existing ? 200 : 201, body: groupBody(group) };
    }),
    route("PATCH", new RegExp(`${RG}$`), "resource group patch", (call) => {
      const group = findGroup(ctx, call.params[1]);
      if (!group) return notFound(call.params[1]);
      if (call.body?.tags !== undefined) group.tags = call.body.tags ?? undefined;
      return ok(groupBody(group));
    }),
    route("GET", new RegExp(`${RG}/resources$`), "resource group resources", (call) => {
      if (!findGroup(ctx, call.params[1])) return notFound(call.params[1]);
      return ok({ value: groupContents(ctx, call.params[1]) });
    }),
    route("DELETE", new RegExp(`${RG}$`), "resource group delete", (call) => {
      const group = findGroup(ctx, call.params[1]);
      if (!group) return { status: 204 };
      // A workspace's managed group carries a deny assignment: only deleting the workspace
      // removes it ("Managed resource group", learn.microsoft.com/azure/databricks/... workspace
      // resource group; the ARM error is DenyAssignmentAuthorizationFailed).
      if (group.managedBy) {
        return armError(
          403,
          "DenyAssignmentAuthorizationFailed",
          `The client has permission to perform action 'Microsoft.Resources/subscriptions/resourceGroups/delete' on scope '${group.id}', however the access is denied because of the deny assignment with name 'System deny assignment created by Azure Databricks ${group.managedBy}'.`,
        );
      }
      // Deleting a group deletes what it holds.
      for (const workspace of [...state.workspaces.values()]) {
        if (workspace.resourceGroup.toLowerCase() === group.name.toLowerCase()) deleteWorkspace(ctx, workspace, true);
      }
      for (const [id] of state.resources) {
        if (id.startsWith(`${group.id.toLowerCase()}/`)) state.resources.delete(id);
      }
      state.resourceGroups.delete(group.name.toLowerCase());
      return {
        status: 202,
        headers: {
          location: `${ctx.origin()}/subscriptions/${state.subscriptionId}/operationresults/rgdelete-${group.name}?api-version=2020-06-01`,
          "retry-after": "1",
        },
      };
    }),
    route(
      "GET",
      /^\/subscriptions\/([^/]+)\/operationresults\/rgdelete-[^/]+$/,
      "resource group delete status",
      () => ({
        status: 200,
      }),
    ),
  ];
}
