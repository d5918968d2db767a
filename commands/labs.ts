import { parseArgs } from "node:util";
import { ClassroomCompute } from "../lab/catalog/classroom-compute";
import { ClusterFlavor } from "../lab/catalog/cluster-flavor";
import { estimateCost } from "../lab/pricing/cost-estimate";
import { LabSettings, loadSettings } from "../lab/settings";
import { readDeployedState } from "../lab/azure/deployed-state";
import { LabState, StateError, findLabStates } from "../lab/state/local-state";
import { runCommand } from "./cli";

/** Hours in an average month, as Azure's pricing calculator counts them. */
const HOURS_PER_MONTH = 730;

interface LabEntry {
  readonly name: string;
  readonly location?: string;
  readonly variant?: string;
  readonly exists: readonly string[];
  /** The class's size; 0 without one. */
  readonly students: number;
  readonly currency?: string;
  /** Billed while the workspace exists, cluster running or not. */
  readonly fixedPerHour?: number;
  readonly fixedPerMonth?: number;
  /** The clusters while they run: the lab's own, and its students' (all of them, in policy compute). */
  readonly clusterPerHour?: number;
  /** Why there is no price, when there is none. */
  readonly priceNote?: string;
  readonly destroy: string;
}

/** `npm run labs`: every lab with resources in this folder's state, what it costs, how to remove it. */
async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { json: { type: "boolean", default: false } } });
  const cwd = process.cwd();
  const { labs, unreadable } = findLabStates(cwd);
  // Prices come the way `npm run cost` gets them (live, cached, or the bundled snapshot).
  const { settings } = loadSettings(process.env, { cwd, pricing: true, outcome: "no lab was listed" });
  // A lab kept in Azure Storage (the LAB_STATE_* settings) has no file here; its blob is read too.
  if (settings.remoteState) {
    try {
      const remote = await readDeployedState(settings, cwd);
      if (remote && !labs.some((lab) => lab.name === remote.name)) labs.push(remote);
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      unreadable.push(e);
    }
  }
  for (const e of unreadable) console.error(`Skipped: ${e.problem}`);
  const entries = await Promise.all(labs.map((lab) => describe(lab, settings)));
  if (values.json) console.log(JSON.stringify(entries, null, 2));
  else console.log(format(entries, cwd));
}

async function describe(lab: LabState, settings: LabSettings): Promise<LabEntry> {
  // A class's clusters are dedicated to its students; the lab's own cluster to whoever deployed.
  const students = new Set(lab.students.map((s) => s.email));
  const cluster = lab.clusters.find((c) => !students.has(c.singleUserName));
  const studentClusters = lab.clusters.filter((c) => students.has(c.singleUserName));
  const location = lab.workspace?.location ?? lab.resourceGroup?.location;
  const flavor = cluster && (/-gpu-ml-/.test(cluster.runtime) ? ClusterFlavor.GPU : ClusterFlavor.CPU);
  const exists = [
    lab.resourceGroup && `resource group ${lab.resourceGroup.name}`,
    lab.workspace && `workspace ${lab.workspace.name}`,
    cluster && `cluster ${cluster.name} (${cluster.workers + 1} x ${cluster.nodeType})`,
    ...lab.notebooks
      .filter((n) => !lab.students.some((s) => s.folder && n.path.startsWith(`${s.folder}/`)))
      .map((n) => `notebooks ${n.path}`),
    students.size > 0 && `a class of ${students.size} (${studentClusters.length} student clusters)`,
  ].filter((x): x is string => Boolean(x));
  const entry = {
    name: lab.name,
    location,
    variant: flavor?.name,
    exists,
    students: students.size,
    destroy: `LAB_NAME=${lab.name} npm run destroy`,
  };
  if (!location || !cluster || !flavor) return { ...entry, priceNote: "no cluster in the state to price" };
  try {
    const e = await estimateCost({
      ...settings,
      name: lab.name,
      location,
      flavor,
      sku: lab.workspace?.sku === "trial" ? "trial" : "premium",
      nodeType: cluster.nodeType,
      workers: cluster.workers,
      // The class as deployed (its students' clusters run at the lab's prices), not the current roster.
      classroom:
        students.size > 0
          ? {
              roster: { file: lab.file, students: lab.students.map((s) => ({ email: s.email })) },
              compute: studentClusters.length > 0 ? ClassroomCompute.PERSONAL : ClassroomCompute.POLICY,
            }
          : undefined,
    });
    const fixed = lab.workspace ? e.perHour.fixed : 0;
    return {
      ...entry,
      currency: e.currency,
      fixedPerHour: fixed,
      fixedPerMonth: Math.round(fixed * HOURS_PER_MONTH * 100) / 100,
      clusterPerHour: round(e.perHour.cluster + (e.class?.perHour ?? 0)),
    };
  } catch (error) {
    return { ...entry, priceNote: `no estimate: ${(error as Error).message.split("\n")[0]}` };
  }
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function format(entries: readonly LabEntry[], cwd: string): string {
  if (entries.length === 0) return `No lab has resources in ${cwd} (no terraform.<name>.tfstate lists any).`;
  const lines = [`Labs with resources in ${cwd}:`];
  for (const e of entries) {
    lines.push(
      "",
      `${e.name}: ${e.variant ?? "?"} lab in ${e.location ?? "?"}`,
      `  exists:  ${e.exists.join("; ")}`,
      e.fixedPerHour === undefined
        ? `  costs:   ${e.priceNote}`
        : `  costs:   ${e.fixedPerHour.toFixed(3)} ${e.currency}/h while it exists (${e.fixedPerMonth!.toFixed(2)} ${e.currency}/month), plus ${e.clusterPerHour!.toFixed(3)} ${e.currency}/h while the cluster${e.students > 0 ? "s run" : " runs"}`,
      `  destroy: ${e.destroy}`,
    );
  }
  return lines.join("\n");
}

runCommand(main);
