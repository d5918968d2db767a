import { clusterNodes } from "../../catalog/lab-variant";
import { HOROVOD_PROCESSES } from "../../catalog/limits";
import { findVmSize } from "../../catalog/vm-sizes";
import type { LabSettings } from "../../settings";
import { AzureCapacity, QuotaUsage, RegionalVmSize } from "../capacity";
import { UsageBesideLab, describeUsed, usagesBesideLab } from "./own-usage";
import { CHECK, CheckResult, NEEDS_AZURE, PreflightContext, azureError, skipped } from "./check";

const LABELS = [CHECK.vmSize, CHECK.quota] as const;

/** What the region offers and has free, read once. */
interface Region {
  readonly name: string;
  readonly sizes: readonly RegionalVmSize[];
  /** Its quota lines, the deployed lab's own clusters left out of what is used. */
  readonly usages: readonly UsageBesideLab[];
}

/** The nodes the lab runs at its peak: its own cluster and every student's (policy compute peaks the same). */
interface LabNodes {
  readonly instructor: number;
  readonly students: number;
  readonly perStudent: number;
  readonly total: number;
}

/** The lab's VM size is offered in its region, and the vCPU quota takes every node the lab may run. */
export async function checkVmCapacity({
  settings,
  azure,
  deployed,
  alternativeRegions,
}: PreflightContext): Promise<CheckResult[]> {
  if (!azure) return skipped(LABELS, NEEDS_AZURE);
  if (!settings) return skipped(LABELS, "needs valid lab settings (see above).");
  let region: Region;
  try {
    const [sizes, usages] = await Promise.all([
      azure.capacity.vmSizes(settings.location),
      azure.capacity.usages(settings.location),
    ]);
    region = { name: settings.location, sizes, usages: usagesBesideLab(usages, sizes, settings.location, deployed) };
  } catch (e) {
    const detail = `could not be read: ${azureError(e)}`;
    const fix = "run the preflight again; Azure may be briefly unavailable.";
    return LABELS.map((check) => ({ check, status: "warn", detail, fix }));
  }
  const nodes = labNodes(settings);
  const size = region.sizes.find((s) => s.name.toLowerCase() === settings.nodeType.toLowerCase());
  if (!size || size.restriction) {
    const others = fittingSizes(region, settings, nodes.total, size);
    return [
      {
        check: CHECK.vmSize,
        status: "fail",
        detail: size
          ? `${settings.nodeType} is restricted in ${region.name} for this subscription (${size.restriction}).`
          : `${settings.nodeType} is not offered in ${region.name}.`,
        fix: `pick another region (LAB_LOCATION) or size (LAB_NODE_TYPE)${others.length ? `; sizes here with free quota: ${others.join(", ")}` : ""}.`,
      },
      { check: CHECK.quota, status: "skip", detail: "needs a VM size the region offers." },
    ];
  }
  return [
    {
      check: CHECK.vmSize,
      status: "pass",
      detail: `${size.name} is offered in ${region.name} (${size.vcpus} vCPUs${size.gpus ? `, ${size.gpus} GPU` : ""}, family ${size.family})`,
    },
    await checkQuota(azure.capacity, region, settings, nodes, size, alternativeRegions),
  ];
}

function labNodes(settings: LabSettings): LabNodes {
  const instructor = clusterNodes(settings.workers);
  const students = settings.classroom?.roster.students.length ?? 0;
  const perStudent = settings.variant.nodesPerStudent;
  return { instructor, students, perStudent, total: instructor + students * perStudent };
}

async function checkQuota(
  azure: AzureCapacity,
  region: Region,
  settings: LabSettings,
  nodes: LabNodes,
  size: RegionalVmSize,
  alternatives: readonly string[],
): Promise<CheckResult> {
  const needed = nodes.total * size.vcpus;
  const family = usage(region.usages, size.family);
  const total = usage(region.usages, "cores");
  const describe = (u: UsageBesideLab | undefined, label: string) =>
    u
      ? `${label}: needed ${needed}, limit ${u.limit}, ${describeUsed(u)}, free ${u.limit - u.current}`
      : `${label}: not reported`;
  const detail = [describe(family, family?.displayName || size.family), describe(total, "Total Regional vCPUs")].join(
    "\n",
  );
  const reported = [family, total].filter((u): u is UsageBesideLab => u !== undefined);
  if (!reported.some((u) => u.limit - u.current < needed))
    return { check: CHECK.quota, status: family ? "pass" : "warn", detail };

  const free = Math.min(...reported.map((u) => u.limit - u.current));
  const ways = await waysOut(azure, region, settings, nodes, size, free, alternatives);
  const { instructor, students, perStudent, total: all } = nodes;
  return {
    check: CHECK.quota,
    status: "fail",
    detail: `${students > 0 ? `${all} nodes (yours ${instructor}, ${students} students x ${perStudent})` : `${all} nodes`} x ${size.vcpus} vCPUs do not fit.\n${detail}`,
    fix:
      [`request more quota (Azure portal > Quotas > Compute, ${size.family} in ${region.name})`, ...ways].join(
        ";\nor ",
      ) + ".",
  };
}

/** Other sizes here, other regions, a smaller class: each way that fits the free quota. */
async function waysOut(
  azure: AzureCapacity,
  region: Region,
  settings: LabSettings,
  nodes: LabNodes,
  size: RegionalVmSize,
  free: number,
  alternatives: readonly string[],
): Promise<string[]> {
  const others = fittingSizes(region, settings, nodes.total, size);
  const regions = await regionsThatFit(
    azure,
    size.name,
    nodes.total * size.vcpus,
    alternatives.filter((r) => r !== region.name),
  );
  const perStudent = nodes.perStudent * size.vcpus;
  const fitting = Math.max(0, Math.floor((free - nodes.instructor * size.vcpus) / perStudent));
  return [
    others.length ? `sizes in ${region.name} that fit: ${others.join(", ")}` : undefined,
    regions.length ? `regions where ${size.name} fits: ${regions.join(", ")}` : undefined,
    nodes.students > 0
      ? `split the class: the free quota takes ${fitting} student(s) beside your cluster (${perStudent} vCPUs each), so run labs of at most ${fitting} students with their own LAB_NAME`
      : undefined,
    nodes.students > 0 && settings.classroom?.compute.clustersAtDeploy
      ? "LAB_CLASSROOM_COMPUTE=policy: no student cluster starts at deploy, and quota is used only by students whose clusters run"
      : undefined,
  ].filter((way): way is string => way !== undefined);
}

/**
 * Up to three other sizes the lab knows (a Databricks node type, task slots counted) of the same
 * kind (CPU or GPU) that give HorovodRunner its slots and fit the free quota, smallest first.
 */
function fittingSizes(
  region: Region,
  settings: LabSettings,
  nodes: number,
  current: RegionalVmSize | undefined,
): string[] {
  const suitable = (s: RegionalVmSize) => {
    const known = findVmSize(s.name);
    return (
      known !== undefined &&
      known.gpus > 0 === settings.variant.isGpu &&
      !s.restriction &&
      settings.variant.taskSlots(known, settings.workers) >= HOROVOD_PROCESSES
    );
  };
  return region.sizes
    .filter((s) => suitable(s) && s.name !== current?.name && fits(region.usages, s, nodes * s.vcpus))
    .sort((a, b) => a.vcpus - b.vcpus || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

function usage<T extends QuotaUsage>(usages: readonly T[], name: string): T | undefined {
  return usages.find((u) => u.name.toLowerCase() === name.toLowerCase());
}

function free(usages: readonly QuotaUsage[], name: string): number {
  const u = usage(usages, name);
  return u ? u.limit - u.current : 0;
}

/** Enough free vCPUs both in the size's family and in the region's total. */
function fits(usages: readonly QuotaUsage[], size: RegionalVmSize, needed: number): boolean {
  return free(usages, size.family) >= needed && free(usages, "cores") >= needed;
}

/** Other regions offering the size with enough free quota; a region that cannot be read is left out. */
async function regionsThatFit(
  azure: AzureCapacity,
  sizeName: string,
  needed: number,
  regions: readonly string[],
): Promise<string[]> {
  const checks = await Promise.all(
    regions.map(async (region) => {
      try {
        const [sizes, usages] = await Promise.all([azure.vmSizes(region), azure.usages(region)]);
        const size = sizes.find((s) => s.name.toLowerCase() === sizeName.toLowerCase() && !s.restriction);
        return size && fits(usages, size, needed) ? region : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return checks.filter((r): r is string => r !== undefined).slice(0, 3);
}
