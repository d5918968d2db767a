import { parseArgs } from "node:util";
import { clusterStatuses, formatStatus, labClusters } from "../lab/databricks/clusters";
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
    console.log(formatStatus(settings.name, client.host, clusters));
  }
  return failed > 0 ? EXIT.USER_ERROR : EXIT.OK;
}

runCommand(main);
