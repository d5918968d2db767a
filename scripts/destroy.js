#!/usr/bin/env node
// npm run destroy [-- <cdktf destroy options>]
//
// `cdktf destroy`, telling the app (main.ts) that this synth is for a destroy: the notebook folder
// is left to the state (Terraform removes what the state lists), so the destroy needs neither the
// network nor the archive cache, and a changed LAB_LOCATION or LAB_SKU does not stop it. Only
// LAB_NAME matters: it names the state.
"use strict";
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const cdktf = join(__dirname, "..", "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
const run = spawnSync(process.execPath, [cdktf, "destroy", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, DP090_DESTROY: "1" },
});
process.exitCode = run.status ?? 1;
