import { blocksDeploy, formatReport, runPreflight } from "../lab/preflight";

/** `npm run preflight`: what would make a first `cdktf deploy` fail, checked before it runs. */
async function main(): Promise<void> {
  const results = await runPreflight({ env: process.env, cwd: process.cwd() });
  console.log(formatReport(results));
  process.exitCode = blocksDeploy(results) ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
