/** What the lab needs to know about an Azure VM size: its vCPUs and GPUs. */
export interface VmSize {
  readonly name: string;
  readonly vcpus: number;
  readonly gpus: number;
}

/**
 * Sizes the lab knows well enough to count task slots. Figures from the Azure VM size pages
 * (learn.microsoft.com/azure/virtual-machines/sizes), checked 2026-11. A size missing here is
 * still accepted; only the task-slot check is skipped for it.
 */
const KNOWN_SIZES: readonly VmSize[] = [
  { name: "Standard_DS3_v2", vcpus: 4, gpus: 0 },
  { name: "Standard_DS4_v2", vcpus: 8, gpus: 0 },
  { name: "Standard_DS5_v2", vcpus: 16, gpus: 0 },
  { name: "Standard_D3_v2", vcpus: 4, gpus: 0 },
  { name: "Standard_D4_v2", vcpus: 8, gpus: 0 },
  { name: "Standard_D4s_v3", vcpus: 4, gpus: 0 },
  { name: "Standard_D8s_v3", vcpus: 8, gpus: 0 },
  { name: "Standard_D16s_v3", vcpus: 16, gpus: 0 },
  { name: "Standard_D4ds_v5", vcpus: 4, gpus: 0 },
  { name: "Standard_D8ds_v5", vcpus: 8, gpus: 0 },
  { name: "Standard_D16ds_v5", vcpus: 16, gpus: 0 },
  { name: "Standard_E4s_v3", vcpus: 4, gpus: 0 },
  { name: "Standard_E8s_v3", vcpus: 8, gpus: 0 },
  { name: "Standard_E16s_v3", vcpus: 16, gpus: 0 },
  { name: "Standard_F4s_v2", vcpus: 4, gpus: 0 },
  { name: "Standard_F8s_v2", vcpus: 8, gpus: 0 },
  { name: "Standard_NC4as_T4_v3", vcpus: 4, gpus: 1 },
  { name: "Standard_NC8as_T4_v3", vcpus: 8, gpus: 1 },
  { name: "Standard_NC16as_T4_v3", vcpus: 16, gpus: 1 },
  { name: "Standard_NC64as_T4_v3", vcpus: 64, gpus: 4 },
  { name: "Standard_NC24ads_A100_v4", vcpus: 24, gpus: 1 },
  { name: "Standard_NC48ads_A100_v4", vcpus: 48, gpus: 2 },
  { name: "Standard_NC96ads_A100_v4", vcpus: 96, gpus: 4 },
  { name: "Standard_NC40ads_H100_v5", vcpus: 40, gpus: 1 },
  { name: "Standard_NC80adis_H100_v5", vcpus: 80, gpus: 2 },
  { name: "Standard_NV36ads_A10_v5", vcpus: 36, gpus: 1 },
  { name: "Standard_NV72ads_A10_v5", vcpus: 72, gpus: 2 },
];

interface Retirement {
  readonly pattern: RegExp;
  readonly series: string;
  readonly retired: string;
}

/** GPU series Azure has retired: a cluster on them cannot start. */
const RETIREMENTS: readonly Retirement[] = [
  { pattern: /^Standard_NC(6|12|24|24r)s_v3$/i, series: "NCv3", retired: "2025-09-30" },
  { pattern: /^Standard_NC(6|12|24|24r)s_v2$/i, series: "NCv2", retired: "2023-09-06" },
  { pattern: /^Standard_NC(6|12|24|24r)$/i, series: "NC (v1)", retired: "2023-09-06" },
  { pattern: /^Standard_ND(6|12|24|24r)s$/i, series: "ND (v1)", retired: "2023-09-06" },
  { pattern: /^Standard_NV(6|12|24)$/i, series: "NV (v1)", retired: "2023-09-06" },
];

export const VM_SIZE_PATTERN = /^Standard_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$/;

export function findVmSize(name: string): VmSize | undefined {
  return KNOWN_SIZES.find((size) => size.name.toLowerCase() === name.toLowerCase());
}

/** N-series (NC, ND, NV) are Azure's GPU sizes. */
export function isGpuSize(name: string): boolean {
  const known = findVmSize(name);
  return known ? known.gpus > 0 : /^Standard_N[CDV]/i.test(name);
}

export function retirementOf(name: string): { series: string; retired: string } | undefined {
  const hit = RETIREMENTS.find((r) => r.pattern.test(name));
  return hit && { series: hit.series, retired: hit.retired };
}
