import { parseArgs } from "node:util";
import { readDeployedState } from "../lab/azure/deployed-state";
import { EXIT } from "../lab/errors";
import { HOURS_PER_MONTH, roundAmount } from "../lab/pricing/amounts";
import { EstimateError, estimateCost } from "../lab/pricing/cost-estimate";
import { LabSettings, SettingsError, loadSettings } from "../lab/settings";
import { DeployedLab, deployedLab, describeParts } from "../lab/state/deployed-lab";
import { StateError, findLabStates } from "../lab/state/local-state";
import { runCommand } from "./cli";

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
async function main(): Promise<number> {
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
  // A lab whose state cannot be read may still be billing: said in full, and the exit code says it too.
  for (const e of unreadable)
    console.error(`Not listed: ${e.problem}
Fix: ${e.fix}
`);
  const entries = await Promise.all(labs.map((state) => describe(deployedLab(state), settings)));
  if (values.json) console.log(JSON.stringify(entries, null, 2));
  else console.log(format(entries, cwd));
  return unreadable.length > 0 ? EXIT.USER_ERROR : EXIT.OK;
}

async function describe(lab: DeployedLab, settings: LabSettings): Promise<LabEntry> {
  const { state, location, labCluster, variant } = lab;
  const entry = {
    name: state.name,
    location,
    variant: variant?.name,
    exists: describeParts(lab),
    students: state.students.length,
    // A class's destroy asks what to do with the students' work; export is the safe answer.
    destroy: `LAB_NAME=${state.name} npm run destroy${state.students.length > 0 ? " -- --export-work" : ""}`,
  };
  if (!location || !labCluster || !variant) return { ...entry, priceNote: "no cluster in the state to price" };
  try {
    const e = await estimateCost({
      ...settings,
      name: state.name,
      location,
      variant: variant,
      sku: state.workspace?.sku === "trial" ? "trial" : "premium",
      nodeType: labCluster.nodeType,
      workers: labCluster.workers,
      // The class as deployed (its students' clusters run at the lab's prices), not the current roster.
      classroom: lab.classroomCompute && {
        roster: { file: state.file, students: state.students.map((s) => ({ email: s.email })) },
        compute: lab.classroomCompute,
      },
    });
    const fixed = state.workspace ? e.perHour.fixed : 0;
    return {
      ...entry,
      currency: e.currency,
      fixedPerHour: fixed,
      fixedPerMonth: Math.round(fixed * HOURS_PER_MONTH * 100) / 100,
      clusterPerHour: roundAmount(e.perHour.cluster + (e.class?.perHour ?? 0)),
    };
  } catch (error) {
    if (error instanceof EstimateError) return { ...entry, priceNote: `no estimate: ${error.problem}` };
    if (error instanceof SettingsError)
      return {
        ...entry,
        priceNote: `no estimate: ${error.problems.map((p) => `${p.setting} ${p.problem}`).join("; ")}`,
      };
    throw error;
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
        : `  costs:   ${e.fixedPerHour.toFixed(3)} ${e.currency}/h while it exists (${e.fixedPerMonth!.toFixed(2)} ${e.currency}/month), plus ${e.clusterPerHour!.toFixed(3)} ${e.currency}/h while the cluster${e.students > 0 ? "s run" : " runs"}`,
      `  destroy: ${e.destroy}`,
    );
  }
  return lines.join("\n");
}

runCommand(main);
