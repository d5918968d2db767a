import { parseArgs } from "node:util";
import { ClusterStatus, clusterStatuses, labClusters } from "../lab/databricks/clusters";
import { EXIT } from "../lab/errors";
import { runCommand } from "./cli";
import { openDeployedLab } from "./deployed-lab";

/**
 * `npm run status [-- --json]`: every cluster of the lab (the instructor's, each student's) with its
 * state and, when it stopped or failed, the reason Databricks gives. Exits 1 when any failed.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { json: { type: "boolean", default: false } } });
  const { settings, state, client } = await openDeployedLab("no status was read");
  const targets = await labClusters(client, state);
  const clusters = await clusterStatuses(client, targets);
  const failed = clusters.filter((c) => c.failed).length;
  if (values.json) {
    console.log(JSON.stringify({ lab: settings.name, workspaceUrl: client.host, clusters, failed }, null, 2));
  } else {
    console.log(format(settings.name, client.host, clusters));
  }
  return failed > 0 ? EXIT.USER_ERROR : EXIT.OK;
}

function format(lab: string, host: string, clusters: readonly ClusterStatus[]): string {
  const width = Math.max(0, ...clusters.map((c) => c.owner.length + c.role.length + 3));
  const lines = [`Clusters of lab ${lab} (${host}):`];
  for (const c of clusters) {
    const label = c.failed ? `FAILED ${c.state}` : c.state;
    lines.push(`  ${label.padEnd(17)} ${`${c.owner} (${c.role})`.padEnd(width)}  ${c.name} [${c.id}]`);
    if (c.reason) {
      const params = Object.entries(c.reason.parameters ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      lines.push(
        `      reason: ${c.reason.code}${c.reason.type ? ` (${c.reason.type})` : ""}${params ? `: ${params}` : ""}`,
      );
    }
    if (c.message) lines.push(`      ${c.message}`);
    if (c.lastEvent)
      lines.push(`      last event: ${c.lastEvent.type} at ${new Date(c.lastEvent.timestamp).toISOString()}`);
  }
  const count = (test: (c: ClusterStatus) => boolean) => clusters.filter(test).length;
  lines.push(
    "",
    clusters.length === 0
      ? "The lab has no clusters (policy compute: students have not created theirs yet)."
      : `${clusters.length} clusters: ${count((c) => c.state === "RUNNING")} running, ${count((c) => ["PENDING", "RESTARTING", "RESIZING"].includes(c.state))} starting, ${count((c) => !c.failed && ["TERMINATED", "TERMINATING"].includes(c.state))} stopped, ${count((c) => c.failed)} failed.`,
  );
  return lines.join("\n");
}

runCommand(main);
