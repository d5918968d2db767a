import { parseArgs } from "node:util";
import { labClusters, switchClusters } from "../lab/databricks/clusters";
import { EXIT, UserError } from "../lab/errors";
import { runCommand } from "./cli";
import { openDeployedLab } from "./deployed-lab";

/**
 * `npm run clusters -- start|stop [--json]`: starts every cluster of the lab before a session, or
 * stops them right after it rather than waiting for auto-termination; progress, then a summary.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { json: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== "start" && action !== "stop")) {
    throw new UserError(
      `npm run clusters needs one action, start or stop${positionals.length ? ` (got: ${positionals.join(" ")})` : ""}; nothing was changed.\nFix: npm run clusters -- start (before a session) or npm run clusters -- stop (after it).`,
    );
  }
  const { settings, state, client } = await openDeployedLab("no cluster was changed");
  const targets = await labClusters(client, state);
  if (!values.json)
    console.log(`${action === "start" ? "Starting" : "Stopping"} ${targets.length} clusters of lab ${settings.name}:`);
  const results = await switchClusters(client, targets, action, {
    log: values.json ? undefined : (line) => console.log(`  ${line}`),
  });
  const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
  if (values.json) {
    console.log(JSON.stringify({ lab: settings.name, action, clusters: results }, null, 2));
  } else {
    console.log(
      `\n${count("requested")} ${action} requested, ${count("unchanged")} already ${action === "start" ? "running" : "stopped"}, ${count("failed")} failed.${action === "start" && count("requested") ? " A cluster takes about 5 minutes to start: `npm run status` shows when they run." : ""}`,
    );
  }
  return count("failed") > 0 ? EXIT.USER_ERROR : EXIT.OK;
}

runCommand(main);
