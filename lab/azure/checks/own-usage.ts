import { clusterNodes } from "../../catalog/lab-variant";
import { normalizeRegion } from "../../catalog/regions";
import type { LabState } from "../../state/local-state";
import type { QuotaUsage, RegionalVmSize } from "../capacity";

/** A quota line with what the deployed lab itself may be using taken out of `current`. */
export interface UsageBesideLab extends QuotaUsage {
  /** vCPUs of the lab's own clusters (its state's) in this line, left out of `current`. */
  readonly ownVcpus: number;
  /** `current` as Azure reported it. */
  readonly reported: number;
}

/**
 * The region's quota lines as the lab sees them: its own clusters (instructor's and students', as
 * its state lists them) may be running, and the check already counts them in what the lab needs,
 * so they are taken out of what is used. Without that, every preflight in the two hours after a
 * deploy (until auto-termination) counts the lab twice and fails. A terminated cluster uses no
 * quota, so `current` never goes below zero and the lab's part is "up to" its clusters' size.
 */
export function usagesBesideLab(
  usages: readonly QuotaUsage[],
  sizes: readonly RegionalVmSize[],
  region: string,
  deployed: LabState | undefined,
): UsageBesideLab[] {
  const own = new Map<string, number>();
  const deployedIn = deployed?.workspace?.location ?? deployed?.resourceGroup?.location;
  if (deployed && deployedIn && normalizeRegion(deployedIn) === normalizeRegion(region)) {
    for (const cluster of deployed.clusters) {
      const size = sizes.find((s) => s.name.toLowerCase() === cluster.nodeType.toLowerCase());
      if (!size) continue;
      const vcpus = clusterNodes(cluster.workers) * size.vcpus;
      for (const line of [size.family.toLowerCase(), "cores"]) own.set(line, (own.get(line) ?? 0) + vcpus);
    }
  }
  return usages.map((u) => {
    const ownVcpus = Math.min(own.get(u.name.toLowerCase()) ?? 0, u.current);
    return { ...u, current: u.current - ownVcpus, reported: u.current, ownVcpus };
  });
}

/** "used …" of a quota line, saying what of it is the lab's own. */
export function describeUsed(u: UsageBesideLab): string {
  return u.ownVcpus > 0
    ? `used ${u.reported} (up to ${u.ownVcpus} by this lab's own clusters, which "needed" counts: left out)`
    : `used ${u.current}`;
}
