/** What the lab knows about an Azure VM size: the one table settings, cost and preflight read. */
export interface VmSize {
  readonly name: string;
  readonly vcpus: number;
  readonly gpus: number;
  /** Azure's series, as people name it ("DSv2", "NCasT4_v3"). */
  readonly series: string;
  /** The vCPU quota family, as Resource Manager's usage list and resource SKUs name it. */
  readonly quotaFamily: string;
  /**
   * DBUs per hour per node, all-purpose compute without Photon (there is no API for these).
   * Undefined only for retired sizes, which are never priced.
   */
  readonly dbuPerHour?: number;
  /** When Azure retired the series: a cluster on it cannot start. */
  readonly retired?: string;
}

/** Where the DBU rates come from, for the cost report. */
export const DBU_RATE_SOURCE = {
  text: "Azure Databricks pricing page instance tables (all-purpose, no Photon), via microsoft/LakeBench databricks_azure_dbu_map.py",
  date: "2026",
} as const;

const current = (
  name: string,
  vcpus: number,
  gpus: number,
  series: string,
  quotaFamily: string,
  dbuPerHour: number,
): VmSize => ({ name, vcpus, gpus, series, quotaFamily, dbuPerHour });

const retired = (
  name: string,
  vcpus: number,
  gpus: number,
  series: string,
  quotaFamily: string,
  date: string,
): VmSize => ({
  name,
  vcpus,
  gpus,
  series,
  quotaFamily,
  retired: date,
});

/**
 * vCPUs and GPUs from the Azure VM size pages (learn.microsoft.com/azure/virtual-machines/sizes),
 * checked 2026-11. DBU rates from `DBU_RATE_SOURCE`; within a series the rate scales with the
 * vCPUs, which the sourced rates of each series confirm. A size missing here is still accepted
 * with a warning; the cost estimate then asks for LAB_DBU_PER_HOUR.
 */
export const VM_SIZES: readonly VmSize[] = [
  current("Standard_DS3_v2", 4, 0, "DSv2", "standardDSv2Family", 0.75),
  current("Standard_DS4_v2", 8, 0, "DSv2", "standardDSv2Family", 1.5),
  current("Standard_DS5_v2", 16, 0, "DSv2", "standardDSv2Family", 3.0),
  current("Standard_D3_v2", 4, 0, "Dv2", "standardDv2Family", 0.75),
  current("Standard_D4_v2", 8, 0, "Dv2", "standardDv2Family", 1.5),
  current("Standard_D4s_v3", 4, 0, "Dsv3", "standardDSv3Family", 0.75),
  current("Standard_D8s_v3", 8, 0, "Dsv3", "standardDSv3Family", 1.5),
  current("Standard_D16s_v3", 16, 0, "Dsv3", "standardDSv3Family", 3.0),
  current("Standard_D4ds_v5", 4, 0, "Ddsv5", "standardDDSv5Family", 1.0),
  current("Standard_D8ds_v5", 8, 0, "Ddsv5", "standardDDSv5Family", 2.0),
  current("Standard_D16ds_v5", 16, 0, "Ddsv5", "standardDDSv5Family", 4.0),
  current("Standard_E4s_v3", 4, 0, "Esv3", "standardESv3Family", 1.0),
  current("Standard_E8s_v3", 8, 0, "Esv3", "standardESv3Family", 2.0),
  current("Standard_E16s_v3", 16, 0, "Esv3", "standardESv3Family", 4.0),
  current("Standard_NC4as_T4_v3", 4, 1, "NCasT4_v3", "Standard NCASv3_T4 Family", 1.0),
  current("Standard_NC8as_T4_v3", 8, 1, "NCasT4_v3", "Standard NCASv3_T4 Family", 1.5),
  current("Standard_NC16as_T4_v3", 16, 1, "NCasT4_v3", "Standard NCASv3_T4 Family", 2.5),
  current("Standard_NC64as_T4_v3", 64, 4, "NCasT4_v3", "Standard NCASv3_T4 Family", 10),
  current("Standard_NC24ads_A100_v4", 24, 1, "NC_A100_v4", "StandardNCADSA100v4Family", 10),
  retired("Standard_NC6s_v3", 6, 1, "NCv3", "standardNCSv3Family", "2025-09-30"),
  retired("Standard_NC12s_v3", 12, 2, "NCv3", "standardNCSv3Family", "2025-09-30"),
  retired("Standard_NC24s_v3", 24, 4, "NCv3", "standardNCSv3Family", "2025-09-30"),
  retired("Standard_NC24rs_v3", 24, 4, "NCv3", "standardNCSv3Family", "2025-09-30"),
  retired("Standard_NC6s_v2", 6, 1, "NCv2", "standardNCSv2Family", "2023-09-06"),
  retired("Standard_NC12s_v2", 12, 2, "NCv2", "standardNCSv2Family", "2023-09-06"),
  retired("Standard_NC24s_v2", 24, 4, "NCv2", "standardNCSv2Family", "2023-09-06"),
  retired("Standard_NC24rs_v2", 24, 4, "NCv2", "standardNCSv2Family", "2023-09-06"),
  retired("Standard_NC6", 6, 1, "NC (v1)", "standardNCFamily", "2023-09-06"),
  retired("Standard_NC12", 12, 2, "NC (v1)", "standardNCFamily", "2023-09-06"),
  retired("Standard_NC24", 24, 4, "NC (v1)", "standardNCFamily", "2023-09-06"),
  retired("Standard_NC24r", 24, 4, "NC (v1)", "standardNCFamily", "2023-09-06"),
  retired("Standard_ND6s", 6, 1, "ND (v1)", "standardNDSFamily", "2023-09-06"),
  retired("Standard_ND12s", 12, 2, "ND (v1)", "standardNDSFamily", "2023-09-06"),
  retired("Standard_ND24s", 24, 4, "ND (v1)", "standardNDSFamily", "2023-09-06"),
  retired("Standard_ND24rs", 24, 4, "ND (v1)", "standardNDSFamily", "2023-09-06"),
  retired("Standard_NV6", 6, 1, "NV (v1)", "standardNVFamily", "2023-09-06"),
  retired("Standard_NV12", 12, 2, "NV (v1)", "standardNVFamily", "2023-09-06"),
  retired("Standard_NV24", 24, 4, "NV (v1)", "standardNVFamily", "2023-09-06"),
];

export const VM_SIZE_PATTERN = /^Standard_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$/;

export function findVmSize(name: string): VmSize | undefined {
  return VM_SIZES.find((size) => size.name.toLowerCase() === name.toLowerCase());
}

/** A known size written with other separators (`Standard_DS3v2`, `Standard_NC4asT4_v3`). */
export function findVmSizeLike(name: string): VmSize | undefined {
  const bare = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, "");
  return VM_SIZES.find((size) => bare(size.name) === bare(name));
}

/** N-series (NC, ND, NV) are Azure's GPU sizes. */
export function isGpuSize(name: string): boolean {
  const known = findVmSize(name);
  return known ? known.gpus > 0 : /^Standard_N[CDV]/i.test(name);
}
