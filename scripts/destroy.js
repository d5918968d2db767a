#!/usr/bin/env node
// npm run destroy [-- --export-work | --discard-work] [-- <cdktf destroy options>]
//
// `cdktf destroy`, telling the app (main.ts) that this synth is for a destroy: the notebook folder
// is left to the state (Terraform removes what the state lists), so the destroy needs neither the
// network nor the archive cache, and only the settings that name and reach the state (LAB_NAME,
// LAB_STATE_*, LAB_SUBSCRIPTION_ID) are checked: a changed LAB_LOCATION or LAB_SKU does not stop it.
//
// First commands/destroy-plan.ts: with nothing of the lab deployed from this folder it says so
// (and which labs are) and no Terraform runs; only the settings a destroy reads are checked, so a
// roster deleted since the deploy never stops it.
//
// A class's destroy deletes the students' folders, so the app refuses it without a choice:
// --export-work runs `npm run export-work` first and destroys only when no folder failed;
// --discard-work goes on without it (and without any network call of its own).
"use strict";
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const WORK_OPTIONS = { "--export-work": "export", "--discard-work": "discard" };
const args = process.argv.slice(2);
const choices = [...new Set(args.filter((a) => a in WORK_OPTIONS))];
const cdktfArgs = args.filter((a) => !(a in WORK_OPTIONS));

function main() {
  if (choices.length > 1) {
    console.error(
      "npm run destroy takes --export-work or --discard-work, not both; nothing was destroyed.\nFix: npm run destroy -- --export-work (keep the class's work) or npm run destroy -- --discard-work.",
    );
    return 1;
  }
  const choice = WORK_OPTIONS[choices[0]];
  const env = { ...process.env, ...(choice ? { DP090_CLASS_WORK: choice } : {}) };
  const plan = spawnSync(process.execPath, [join(__dirname, "run-app.js"), "commands/destroy-plan.ts"], {
    stdio: "inherit",
    env,
  });
  if (plan.status !== 0) return plan.status ?? 1;
  if (choice === "export") {
    const exported = spawnSync(process.execPath, [join(__dirname, "run-app.js"), "commands/export-work.ts"], {
      stdio: "inherit",
    });
    if (exported.status !== 0) {
      console.error(
        "\nThe export did not go through for every folder (see above); nothing was destroyed.\nFix: run npm run export-work until it does, then npm run destroy -- --export-work again, or npm run destroy -- --discard-work to destroy anyway.",
      );
      return 1;
    }
  }
  const cdktf = join(__dirname, "..", "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
  const run = spawnSync(process.execPath, [cdktf, "destroy", ...cdktfArgs], {
    stdio: "inherit",
    env: { ...env, DP090_DESTROY: "1" },
  });
  return run.status ?? 1;
}

process.exitCode = main();
