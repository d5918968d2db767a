// Microsoft.Databricks/workspaces (api-version 2024-05-01, the one azurerm 4.55.0 vendors:
// go-azure-sdk resource-manager/databricks/2024-05-01/workspaces). Create and update are
// long-running: 201/200 with an Azure-AsyncOperation URL the SDK polls (sdk/client/
// resourcemanager/poller_lro.go: Retry-After sets the interval) until status Succeeded; delete
// is 202, then the SDK GETs the workspace until 404 (poller_delete.go, every 10 s).
import { createHash } from "node:crypto";
import { Context, nextId } from "../context";
import { Route, armError, ok, route } from "../http";
import { Workspace } from "../state";
import { newDatabricks } from "../databricks/seed";
import { findGroup } from "./resource-groups";

const WS =
  "^\\/subscriptions\\/([^/]+)\\/resourcegroups\\/([^/]+)\\/providers\\/Microsoft\\.Databricks\\/workspaces\\/([^/]+)";
const SKUS = ["standard", "premium", "trial"];

/** The parameters Azure fills in when a request leaves them out (what a real GET returns). */
function defaultParameters(name: string, subscriptionId: string): Record<string, { type: string; value: unknown }> {
  const suffix = createHash("sha1").update(`${subscriptionId}/${name}`).digest("hex").slice(0, 13);
  return {
    enableNoPublicIp: { type: "Bool", value: true },
    natGatewayName: { type: "String", value: "nat-gateway" },
    publicIpName: { type: "String", value: "nat-gw-public-ip" },
    prepareEncryption: { type: "Bool", value: false },
    requireInfrastructureEncryption: { type: "Bool", value: false },
    storageAccountName: { type: "String", value: `dbstorage${suffix}` },
    storageAccountSkuName: { type: "String", value: "Standard_GRS" },
    vnetAddressPrefix: { type: "String", value: "10.139" },
  };
}

export function workspaceBody(w: Workspace) {
  return {
    id: w.id,
    name: w.name,
    type: "Microsoft.Databricks/workspaces",
    location: w.location,
    sku: { name: w.sku },
    ...(w.tags ? { tags: w.tags } : {}),
    properties: { ...w.properties, provisioningState: w.provisioningState },
  };
}

function operationUrl(ctx: Context, w: Workspace, id: string) {
  return `${ctx.origin()}/subscriptions/${ctx.state.subscriptionId}/providers/Microsoft.Databricks/locations/${w.location}/operationStatuses/${id}?api-version=2024-05-01`;
}

/** What provisioning puts in the managed resource group, as the stack may read it. */
function provisionManagedGroup(ctx: Context, w: Workspace): void {
  const { state } = ctx;
  const groupId = String(w.properties.managedResourceGroupId);
  const groupName = groupId.split("/").pop()!;
  state.resourceGroups.set(groupName.toLowerCase(), {
    id: `/subscriptions/${state.subscriptionId}/resourceGroups/${groupName}`,
    name: groupName,
    location: w.location,
    managedBy: w.id,
  });
  const params = w.properties.parameters;
  const add = (type: string, name: string, properties: Record<string, unknown>) => {
    const id = `/subscriptions/${state.subscriptionId}/resourceGroups/${groupName}/providers/${type}/${name}`;
    state.resources.set(id.toLowerCase(), { id, name, type, location: w.location, properties });
  };
  const egress = w.databricks.egressAddresses[0];
  add("Microsoft.Network/publicIPAddresses", params.publicIpName.value, {
    provisioningState: "Succeeded",
    ipAddress: egress,
    publicIPAddressVersion: "IPv4",
    publicIPAllocationMethod: "Static",
    idleTimeoutInMinutes: 4,
  });
  add("Microsoft.Network/natGateways", params.natGatewayName.value, { provisioningState: "Succeeded" });
  add("Microsoft.Network/virtualNetworks", "workers-vnet", { provisioningState: "Succeeded" });
  add("Microsoft.Network/networkSecurityGroups", "workers-sg", { provisioningState: "Succeeded" });
  add("Microsoft.Storage/storageAccounts", params.storageAccountName.value, { provisioningState: "Succeeded" });
  add("Microsoft.ManagedIdentity/userAssignedIdentities", "dbmanagedidentity", {});
}

function removeManagedGroup(ctx: Context, w: Workspace, keep: boolean): void {
  const groupName = String(w.properties.managedResourceGroupId).split("/").pop()!.toLowerCase();
  const group = ctx.state.resourceGroups.get(groupName);
  if (!group) return;
  if (keep) {
    // Without forceDeletion Azure keeps the managed group holding Unity Catalog data: the
    // azurerm features block's `databricks_workspace.force_delete` (website/docs/guides/
    // features-block.html.markdown). It then bills on as an ordinary group.
    group.managedBy = undefined;
    return;
  }
  ctx.state.resourceGroups.delete(groupName);
  for (const [id] of ctx.state.resources)
    if (id.startsWith(`${group.id.toLowerCase()}/`)) ctx.state.resources.delete(id);
}

export function deleteWorkspace(ctx: Context, w: Workspace, force: boolean): void {
  ctx.state.workspaces.delete(w.id.toLowerCase());
  removeManagedGroup(ctx, w, !force);
}

export function workspaceRoutes(ctx: Context): Route[] {
  const { state } = ctx;
  const find = (params: string[]) =>
    state.workspaces.get(
      `/subscriptions/${params[0]}/resourcegroups/${params[1]}/providers/microsoft.databricks/workspaces/${params[2]}`.toLowerCase(),
    );
  const notFound = (params: string[]) =>
    armError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.Databricks/workspaces/${params[2]}' under resource group '${params[1]}' was not found.`,
    );
  const startOperation = (w: Workspace, complete: () => void) => {
    const id = `op-${nextId(state)}`;
    const failure = ctx.faults.workspaceFailures.findIndex((f) => f.match.test(w.name));
    const error = failure >= 0 ? ctx.faults.workspaceFailures.splice(failure, 1)[0] : undefined;
    if (error) ctx.note(`fault: the operation on workspace ${w.name} will fail with ${error.code}`);
    state.operations.set(id, {
      id,
      doneAt: ctx.now() + ctx.latency.workspaceCreate,
      error: error && { code: error.code, message: error.message },
      complete,
    });
    return id;
  };

  return [
    route("GET", new RegExp(`${WS}$`), "workspace get", (call) => {
      const w = find(call.params);
      return w ? ok(workspaceBody(w)) : notFound(call.params);
    }),
    route("PUT", new RegExp(`${WS}$`), "workspace put", (call) => {
      const [sub, rg, name] = call.params;
      const group = findGroup(ctx, rg);
      if (!group) return armError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`);
      const body = call.body ?? {};
      const sku = String(body.sku?.name ?? "");
      if (!SKUS.includes(sku)) {
        return armError(400, "InvalidSkuName", `The SKU '${sku}' is not valid. Allowed values: ${SKUS.join(", ")}.`);
      }
      const managed = String(body.properties?.managedResourceGroupId ?? "");
      if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(managed)) {
        return armError(
          400,
          "InvalidManagedResourceGroupId",
          "properties.managedResourceGroupId must be a resource group id.",
        );
      }
      const existing = find(call.params);
      const id = `/subscriptions/${sub}/resourceGroups/${group.name}/providers/Microsoft.Databricks/workspaces/${name}`;
      if (existing && existing.provisioningState !== "Succeeded" && existing.provisioningState !== "Failed") {
        return armError(
          409,
          "Conflict",
          `The workspace '${name}' is busy with another operation (${existing.provisioningState}).`,
        );
      }
      if (existing && String(existing.properties.managedResourceGroupId).toLowerCase() !== managed.toLowerCase()) {
        return armError(
          400,
          "InvalidManagedResourceGroupId",
          "The managed resource group of a workspace cannot be changed.",
        );
      }
      const requested: Record<string, { type?: string; value: unknown }> = body.properties?.parameters ?? {};
      const w: Workspace = existing ?? {
        id,
        name,
        resourceGroup: group.name,
        location: String(body.location).toLowerCase(),
        sku,
        properties: {},
        provisioningState: "Accepted",
        databricks: newDatabricks(ctx),
      };
      const previous = { sku: w.sku, tags: w.tags, properties: w.properties };
      const parameters = { ...defaultParameters(name, sub), ...(existing ? existing.properties.parameters : {}) };
      for (const [key, param] of Object.entries(requested)) {
        parameters[key] = {
          type: param.type ?? (typeof param.value === "boolean" ? "Bool" : "String"),
          value: param.value,
        };
      }
      w.sku = sku;
      w.tags = body.tags ?? undefined;
      w.properties = {
        ...w.properties,
        managedResourceGroupId: managed,
        parameters,
        publicNetworkAccess: body.properties?.publicNetworkAccess ?? "Enabled",
        requiredNsgRules: body.properties?.requiredNsgRules ?? "AllRules",
        workspaceId: w.databricks.workspaceId,
        workspaceUrl: `adb-${w.databricks.workspaceId}.${Number(w.databricks.workspaceId) % 20}.azuredatabricks.net`,
        createdDateTime: w.properties.createdDateTime ?? new Date(ctx.now()).toISOString(),
        createdBy: w.properties.createdBy ?? {
          oid: "00000000-0000-4000-8000-0000000000d0",
          applicationId: "00000000-0000-4000-8000-00000000c11e",
        },
        authorizations: [
          // Azure Databricks' own first-party application owns the managed group.
          {
            principalId: "9a74af6f-d153-4348-988a-e2672920bee9",
            roleDefinitionId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
          },
        ],
        storageAccountIdentity: {
          principalId: "00000000-0000-4000-8000-00000000510a",
          tenantId: state.tenantId,
          type: "SystemAssigned",
        },
        isUcEnabled: true,
        defaultCatalog: { initialType: "UnityCatalog", initialName: "" },
      };
      const isNew = !existing;
      w.provisioningState = isNew ? "Accepted" : "Updating";
      state.workspaces.set(id.toLowerCase(), w);
      const operation = startOperation(w, () => {
        if (isNew) provisionManagedGroup(ctx, w);
        w.provisioningState = "Succeeded";
      });
      const op = state.operations.get(operation)!;
      if (op.error) {
        op.complete = () => {
          if (isNew) {
            // A failed creation leaves nothing the next apply would have to import.
            state.workspaces.delete(id.toLowerCase());
          } else {
            Object.assign(w, previous);
            w.provisioningState = "Succeeded";
          }
        };
      }
      return {
        status: isNew ? 201 : 200,
        body: workspaceBody(w),
        headers: { "azure-asyncoperation": operationUrl(ctx, w, operation), "retry-after": "1" },
      };
    }),
    route("PATCH", new RegExp(`${WS}$`), "workspace patch (tags)", (call) => {
      const w = find(call.params);
      if (!w) return notFound(call.params);
      if (call.body?.tags !== undefined) w.tags = call.body.tags ?? undefined;
      return ok(workspaceBody(w));
    }),
    route("DELETE", new RegExp(`${WS}$`), "workspace delete", (call) => {
      const w = find(call.params);
      if (!w) return { status: 204 };
      const force = call.query.get("forceDeletion") === "true";
      w.provisioningState = "Deleting";
      const id = `op-${nextId(state)}`;
      state.operations.set(id, {
        id,
        doneAt: ctx.now() + ctx.latency.workspaceDelete,
        complete: () => deleteWorkspace(ctx, w, force),
      });
      return {
        status: 202,
        headers: {
          "azure-asyncoperation": operationUrl(ctx, w, id),
          location: operationUrl(ctx, w, id),
          "retry-after": "1",
        },
      };
    }),
    route(
      "GET",
      /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Databricks\/locations\/([^/]+)\/operationStatuses\/([^/]+)$/,
      "workspace operation status",
      (call) => {
        const op = state.operations.get(call.params[2]);
        if (!op) return armError(404, "OperationNotFound", `Operation ${call.params[2]} was not found.`);
        if (ctx.now() < op.doneAt) return ok({ id: op.id, name: op.id, status: "InProgress" }, { "retry-after": "1" });
        if (!op.completed) {
          op.completed = true;
          op.complete();
        }
        return op.error
          ? ok({ id: op.id, name: op.id, status: "Failed", error: op.error })
          : ok({ id: op.id, name: op.id, status: "Succeeded" });
      },
    ),
    route(
      "GET",
      /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/Microsoft\.Network\/publicIPAddresses\/([^/]+)$/,
      "public ip get",
      (call) => {
        const id = `/subscriptions/${call.params[0]}/resourcegroups/${call.params[1]}/providers/microsoft.network/publicipaddresses/${call.params[2]}`;
        const resource = state.resources.get(id.toLowerCase());
        if (!resource) {
          return armError(
            404,
            "ResourceNotFound",
            `The Resource 'Microsoft.Network/publicIPAddresses/${call.params[2]}' under resource group '${call.params[1]}' was not found.`,
          );
        }
        return ok({
          id: resource.id,
          name: resource.name,
          type: resource.type,
          location: resource.location,
          sku: { name: "Standard", tier: "Regional" },
          zones: [],
          properties: resource.properties,
        });
      },
    ),
  ];
}

/** Finishes every operation that is due: deletes need no poll to complete (the SDK polls the resource itself). */
export function settleOperations(ctx: Context): void {
  for (const op of ctx.state.operations.values()) {
    if (!op.completed && ctx.now() >= op.doneAt) {
      op.completed = true;
      op.complete();
    }
  }
}
