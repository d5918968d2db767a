import { distance } from "fastest-levenshtein";

/**
 * Public-cloud regions that offer Azure Databricks, by the name Azure Resource Manager uses.
 * Source: Microsoft Learn, "Azure Databricks regions" (azure/databricks/resources/supported-regions),
 * read 2026-11. Sovereign clouds (China, US Government) and canary regions are left out: the
 * azurerm provider would need another `environment` for them.
 */
export const DATABRICKS_REGIONS: readonly string[] = [
  "australiacentral",
  "australiacentral2",
  "australiaeast",
  "australiasoutheast",
  "brazilsouth",
  "canadacentral",
  "canadaeast",
  "centralindia",
  "centralus",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "germanywestcentral",
  "japaneast",
  "japanwest",
  "koreacentral",
  "mexicocentral",
  "northcentralus",
  "northeurope",
  "norwayeast",
  "qatarcentral",
  "southafricanorth",
  "southcentralus",
  "southeastasia",
  "southindia",
  "swedencentral",
  "switzerlandnorth",
  "switzerlandwest",
  "uaenorth",
  "uksouth",
  "ukwest",
  "westcentralus",
  "westeurope",
  "westindia",
  "westus",
  "westus2",
  "westus3",
];

/** Azure's display names ("Japan East") are the ARM names with spaces and capitals. */
export function normalizeRegion(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

export function isDatabricksRegion(name: string): boolean {
  return DATABRICKS_REGIONS.includes(name);
}

/** The closest region names to a mistyped one, nearest first. */
export function closestRegions(input: string, count = 3): string[] {
  const wanted = normalizeRegion(input);
  return [...DATABRICKS_REGIONS]
    .map((region) => ({ region, score: distance(wanted, region) }))
    .sort((a, b) => a.score - b.score || a.region.localeCompare(b.region))
    .slice(0, count)
    .map((r) => r.region);
}
