/**
 * Azure Databricks pricing tiers a new workspace can have. Standard is gone: Azure refuses new
 * Standard-tier workspaces since 2026-04-01 and retired the tier on 2026-10-01 (Azure update 502623).
 */
export type WorkspaceSku = "premium" | "trial";

export const WORKSPACE_SKUS: readonly WorkspaceSku[] = ["premium", "trial"];
