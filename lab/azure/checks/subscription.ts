import { CHECK, CheckResult, PreflightContext } from "./check";

const check = CHECK.subscription;

/** The subscription Terraform will deploy into: the setting (environment or file), else ARM_SUBSCRIPTION_ID. */
export function checkSubscription({ subscription }: PreflightContext): CheckResult[] {
  const { id, source } = subscription;
  if (id && (source === "LAB_SUBSCRIPTION_ID" || source === "ARM_SUBSCRIPTION_ID"))
    return [{ check, status: "pass", detail: `${id} (from ${source})` }];
  if (id) {
    return [
      {
        check,
        status: "fail",
        detail: `${id} is the Azure CLI's current subscription, but the azurerm provider 4.x does not read it.`,
        fix: "export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
      },
    ];
  }
  return [
    {
      check,
      status: "fail",
      detail:
        "none: ARM_SUBSCRIPTION_ID and LAB_SUBSCRIPTION_ID are unset and the Azure CLI has no current subscription.",
      fix: "az login, then export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
    },
  ];
}
