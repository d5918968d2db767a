import { LabRule, NOT_APPLICABLE, block, compliant, literal, nonCompliant } from "./rule";

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/**
 * An IP allow-list in force in the stack: the workspace setting that turns lists on, and at least
 * one enabled ALLOW list with addresses. (A stack of this lab holds one workspace.)
 */
function hasAllowList(stack: Readonly<Record<string, unknown>>): boolean {
  const resources = (stack.resource ?? {}) as Resources;
  const enabled = Object.values(resources.databricks_workspace_conf ?? {}).some(
    (conf) => String(block(conf.custom_config)?.enableIpAccessLists) === "true",
  );
  const lists = Object.values(resources.databricks_ip_access_list ?? {}).filter(
    (list) =>
      literal<string>(list.list_type) === "ALLOW" &&
      list.enabled !== false &&
      Array.isArray(list.ip_addresses) &&
      list.ip_addresses.length > 0,
  );
  return enabled && lists.length > 0;
}

export const workspacePublicAccessRule: LabRule = {
  id: "LAB-WORKSPACE-PUBLIC-ACCESS",
  rationale:
    "a workspace reachable from the whole internet relies on sign-in alone; an IP allow-list or private access (Private Link) narrows who can reach it.",
  level: "error",
  mirrors: "checkov CKV_AZURE_158 (Databricks workspace is not public)",
  fix: "set LAB_ALLOWED_IP_RANGES (an IP access list), or public_network_access_enabled = false with Private Link, or suppress this rule on the workspace with the reason public access is needed.",
  check(subject) {
    if (subject.kind !== "resource" || subject.type !== "azurerm_databricks_workspace") return NOT_APPLICABLE;
    const value = subject.config.public_network_access_enabled;
    if (value === false || hasAllowList(subject.stack)) return compliant();
    return nonCompliant(
      value === undefined
        ? "public_network_access_enabled is not set, so the workspace is public by the provider's default, and no IP access list limits who connects."
        : "public_network_access_enabled is true and no IP access list limits who connects: the workspace UI and API are reachable from the whole internet.",
    );
  },
};
