import { LabRule, NOT_APPLICABLE, block, compliant, nonCompliant } from "./rule";

export const workspaceSecureConnectivityRule: LabRule = {
  id: "LAB-WORKSPACE-NO-PUBLIC-IP",
  rationale: "with secure cluster connectivity the cluster VMs have no public IPs and no open inbound ports.",
  level: "error",
  fix: "set custom_parameters.no_public_ip = true explicitly (LabWorkspace noPublicIp).",
  check(subject) {
    if (subject.kind !== "resource" || subject.type !== "azurerm_databricks_workspace") return NOT_APPLICABLE;
    const value = block(subject.config.custom_parameters)?.no_public_ip;
    if (value === true) return compliant();
    return nonCompliant(
      value === undefined
        ? "custom_parameters.no_public_ip is not set; it must be set explicitly, not left to the provider's default."
        : `custom_parameters.no_public_ip is ${JSON.stringify(value)}: cluster nodes get public IPs.`,
    );
  },
};
