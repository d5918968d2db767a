import { join } from "node:path";
import { exportWork, formatExportSummary } from "../lab/databricks/export-work";
import { folderTargets } from "../lab/databricks/lab-targets";
import { EXIT } from "../lab/errors";
import { runCommand } from "./cli";
import { openDeployedLab } from "./deployed-lab";

/** Where exports go, in the project folder: class-work/<LAB_NAME>/<time>/<person>/… */
const CLASS_WORK = "class-work";

/**
 * `npm run export-work`: each student's folder, and the lab's own notebook folder, exported from
 * the workspace (a DBC that imports back, and the notebooks as source) before a removal or a destroy.
 */
async function main(): Promise<number> {
  const { settings, state, client } = await openDeployedLab("nothing was exported");
  const targets = folderTargets(state);
  console.log(`Exporting ${targets.length} folders of lab ${settings.name} from ${client.host}:`);
  const summary = await exportWork(client, targets, {
    into: join(process.cwd(), CLASS_WORK, settings.name),
    now: new Date(),
    log: (line) => console.log(`  ${line}`),
  });
  console.log(`\n${formatExportSummary(summary)}`);
  return summary.folders.some((f) => f.outcome === "failed") ? EXIT.USER_ERROR : EXIT.OK;
}

runCommand(main);
