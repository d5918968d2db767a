import { parseArgs } from "node:util";
import { ClusterFlavor } from "../lab/catalog/cluster-flavor";
import { estimateCost } from "../lab/pricing/cost-estimate";
import { LabSettings, loadSettings } from "../lab/settings";
import { LabState, findLabStates } from "../lab/state/local-state";
import { runCommand } from "./cli";

/** Hours in an average month, as Azure's pricing calculator counts them. */
const HOURS_PER_MONTH = 730;

interface LabEntry {
  readonly name: string;
  readonly location?: string;
  readonly variant?: string;
  readonly exists: readonly string[];
  readonly currency?: string;
  /** Billed while the workspace exists, cluster running or not. */
  readonly fixedPerHour?: number;
  readonly fixedPerMonth?: number;
  /** The cluster while it runs. */
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
  for (const e of unreadable) console.error(`Skipped: ${e.message.split("\n")[0]}`);
  // Prices come the way `npm run cost` gets them (live, cached, or the bundled snapshot).
  const { settings } = loadSettings(process.env, { cwd, pricing: true, outcome: "no lab was listed" });
  const entries = await Promise.all(labs.map((lab) => describe(lab, settings)));
  if (values.json) console.log(JSON.stringify(entries, null, 2));
  else console.log(format(entries, cwd));
}

async function describe(lab: LabState, settings: LabSettings): Promise<LabEntry> {
  const cluster = lab.clusters[0];
  const location = lab.workspace?.location ?? lab.resourceGroup?.location;
  const flavor = cluster && (/-gpu-ml-/.test(cluster.runtime) ? ClusterFlavor.GPU : ClusterFlavor.CPU);
  const exists = [
    lab.resourceGroup && `resource group ${lab.resourceGroup.name}`,
    lab.workspace && `workspace ${lab.workspace.name}`,
    ...lab.clusters.map((c) => `cluster ${c.name} (${c.workers + 1} x ${c.nodeType})`),
    ...lab.notebooks.map((n) => `notebooks ${n.path}`),
  ].filter((x): x is string => Boolean(x));
  const entry = {
    name: lab.name,
    location,
    variant: flavor?.name,
    exists,
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
    });
    const fixed = lab.workspace ? e.perHour.fixed : 0;
    return {
      ...entry,
      currency: e.currency,
      fixedPerHour: fixed,
      fixedPerMonth: Math.round(fixed * HOURS_PER_MONTH * 100) / 100,
      clusterPerHour: e.perHour.cluster,
    };
  } catch (error) {
    return { ...entry, priceNote: `no estimate: ${(error as Error).message.split("\n")[0]}` };
  }
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
        : `  costs:   ${e.fixedPerHour.toFixed(3)} ${e.currency}/h while it exists (${e.fixedPerMonth!.toFixed(2)} ${e.currency}/month), plus ${e.clusterPerHour!.toFixed(3)} ${e.currency}/h while the cluster runs`,
      `  destroy: ${e.destroy}`,
    );
  }
  return lines.join("\n");
}

runCommand(main);
