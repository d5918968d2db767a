import { LabRule, NOT_APPLICABLE, nonCompliant } from "./rule";

export const workspacePublicAccessRule: LabRule = {
  id: "LAB-WORKSPACE-PUBLIC-ACCESS",
  rationale:
    "a workspace reachable from the internet relies on sign-in alone; private access (Private Link) narrows who can reach it.",
  level: "error",
  mirrors: "checkov CKV_AZURE_158 (Databricks workspace is not public)",
  fix: "set public_network_access_enabled = false with Private Link, or suppress this rule on the workspace with the reason public access is needed.",
  check(subject) {
    if (subject.kind !== "resource" || subject.type !== "azurerm_databricks_workspace") return NOT_APPLICABLE;
    const value = subject.config.public_network_access_enabled;
    if (value === false) return nonCompliant();
    return nonCompliant(
      value === undefined
        ? "public_network_access_enabled is not set, so the workspace is public by the provider's default."
        : "public_network_access_enabled is true: the workspace UI and API are reachable from the internet.",
    );
  },
};
