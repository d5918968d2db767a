// Subscription-level reads: resource provider registrations (the azurerm provider's enhanced
// validation lists them even with `resource_provider_registrations = "none"`), and what the
// project's preflight reads (lab/azure/capacity.ts, state-storage.ts): VM sizes, quotas, the
// storage account holding a remote state.
import { Context } from "../context";
import { Route, armError, ok, route } from "../http";

const SUB = "\\/subscriptions\\/([^/]+)";

export function subscriptionRoutes(ctx: Context): Route[] {
  const { state } = ctx;
  const provider = (namespace: string) => ({
    id: `/subscriptions/${state.subscriptionId}/providers/${namespace}`,
    namespace,
    registrationState: state.providers.get(namespace) ?? "NotRegistered",
    resourceTypes: [],
  });
  return [
    route("GET", new RegExp(`^${SUB}/providers$`), "resource providers", () =>
      ok({ value: [...state.providers.keys()].map(provider) }),
    ),
    route("GET", new RegExp(`^${SUB}/providers/([^/]+)$`), "resource provider", (call) => {
      const name = [...state.providers.keys()].find((n) => n.toLowerCase() === call.params[1].toLowerCase());
      return name
        ? ok(provider(name))
        : armError(404, "InvalidResourceNamespace", `The resource namespace '${call.params[1]}' is invalid.`);
    }),
    route("GET", new RegExp(`^${SUB}/providers/Microsoft\\.Compute/skus$`), "compute skus", (call) => {
      const location = /location eq '([^']+)'/.exec(call.query.get("$filter") ?? "")?.[1] ?? "";
      return ok({
        value: (state.regions[location]?.skus ?? []).map((s) => ({
          resourceType: "virtualMachines",
          name: s.name,
          tier: "Standard",
          family: s.family,
          locations: [location],
          capabilities: [
            { name: "vCPUs", value: String(s.vcpus) },
            ...(s.gpus ? [{ name: "GPUs", value: String(s.gpus) }] : []),
          ],
          restrictions: s.restricted
            ? [
                {
                  type: "Location",
                  values: [location],
                  restrictionInfo: { locations: [location] },
                  reasonCode: "NotAvailableForSubscription",
                },
              ]
            : [],
        })),
      });
    }),
    route(
      "GET",
      new RegExp(`^${SUB}/providers/Microsoft\\.Compute/locations/([^/]+)/usages$`),
      "compute usages",
      (call) =>
        ok({
          value: Object.entries(state.regions[call.params[1]]?.usages ?? {}).map(([name, [used, limit]]) => ({
            unit: "Count",
            currentValue: used,
            limit,
            name: { value: name, localizedValue: name === "cores" ? "Total Regional vCPUs" : `${name} vCPUs` },
          })),
        }),
    ),
    route("GET", new RegExp(`^${SUB}/resources$`), "subscription resources", (call) => {
      const name = /name eq '([^']+)'/.exec(call.query.get("$filter") ?? "")?.[1];
      return ok({
        value: state.storageAccounts
          .filter((account) => account === name)
          .map((account) => ({
            id: `/subscriptions/${state.subscriptionId}/resourceGroups/rg-state/providers/Microsoft.Storage/storageAccounts/${account}`,
            name: account,
            type: "Microsoft.Storage/storageAccounts",
          })),
      });
    }),
  ];
}
