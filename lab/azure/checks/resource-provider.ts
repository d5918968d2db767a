import { CHECK, CheckResult, NEEDS_AZURE, PreflightContext, skipped, unreadable } from "./check";

const check = CHECK.provider;

/** Microsoft.Databricks is registered in the subscription (registering it needs subscription-wide rights). */
export async function checkResourceProvider({ azure }: PreflightContext): Promise<CheckResult[]> {
  if (!azure) return skipped([check], NEEDS_AZURE);
  try {
    const state = await azure.capacity.providerState("Microsoft.Databricks");
    if (state === "Registered") return [{ check, status: "pass", detail: "Microsoft.Databricks is registered" }];
    return [
      {
        check,
        status: "warn",
        detail: `Microsoft.Databricks is ${state}. The azurerm provider tries to register it during deploy, which needs rights on the whole subscription.`,
        fix: "az provider register --namespace Microsoft.Databricks --wait",
      },
    ];
  } catch (e) {
    return [unreadable(check, e, "the subscription")];
  }
}
