/**
 * DBUs per hour per node, all-purpose compute without Photon. There is no API for these.
 * Source: Azure Databricks pricing page, instance tables, as collected in microsoft/LakeBench
 * `databricks_azure_dbu_map.py` (2026).
 */
export const DBU_RATES = {
  source: "Azure Databricks pricing page instance tables (all-purpose, no Photon), via microsoft/LakeBench databricks_azure_dbu_map.py",
  date: "2026",
  perNode: {
    Standard_DS3_v2: 0.75,
    Standard_DS4_v2: 1.5,
    Standard_DS5_v2: 3.0,
    Standard_D4ds_v5: 1.0,
    Standard_D8ds_v5: 2.0,
    Standard_D4s_v3: 0.75,
    Standard_D8s_v3: 1.5,
    Standard_E8s_v3: 2.0,
    Standard_NC4as_T4_v3: 1.0,
    Standard_NC8as_T4_v3: 1.5,
    Standard_NC16as_T4_v3: 2.5,
    Standard_NC64as_T4_v3: 10,
    Standard_NC24ads_A100_v4: 10,
  } as Readonly<Record<string, number>>,
} as const;

export function dbuPerHour(size: string): number | undefined {
  const key = Object.keys(DBU_RATES.perNode).find((k) => k.toLowerCase() === size.toLowerCase());
  return key === undefined ? undefined : DBU_RATES.perNode[key];
}
