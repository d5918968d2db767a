#!/usr/bin/env node
// node scripts/run-app.js [entry.ts]
//
// The app command of cdktf.json (entry main.ts): every `cdktf synth`, `diff`, `deploy` and
// `destroy` runs it. The project's other commands (commands/*.ts) run the same way.
//
// ts-node (the cdktf template's default) type-checks the provider packages on every run: seconds
// and hundreds of MB. Here esbuild only strips types from the project's own files, bundled into
// one file with node_modules left external, and plain node runs it. The bundle is reused while
// the sha1 of every input file is unchanged, so an edit to any .ts file is always picked up and
// an unchanged project starts as fast as ahead-of-time compiled JavaScript.
// Type errors are caught by `npm run typecheck`, part of `npm test`.
"use strict";
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync } = require("node:fs");
const { join, relative } = require("node:path");

const root = join(__dirname, "..");
// The entry is the runner's argument, not the command's: what follows it is the command's own.
const entry = process.argv[2]?.endsWith(".ts") ? process.argv.splice(2, 1)[0] : "main.ts";
const outDir = join(root, ".build");
const bundleName = entry.replace(/\.ts$/, "").replace(/[\\/]/g, "-");
const outFile = join(outDir, `${bundleName}.js`);
const stampFile = join(outDir, `${bundleName}.inputs.json`);
const BUILD_OPTIONS = {
  absWorkingDir: root,
  entryPoints: [entry],
  bundle: true,
  packages: "external",
  platform: "node",
  target: "node20",
  format: "cjs",
  metafile: true,
  write: false,
  logLevel: "error",
};

function sha1(file) {
  try {
    return createHash("sha1")
      .update(readFileSync(join(root, file)))
      .digest("hex");
  } catch {
    return "missing";
  }
}

function upToDate() {
  if (!existsSync(outFile) || !existsSync(stampFile)) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    return false;
  }
  if (stamp.runner !== sha1(relative(root, __filename))) return false;
  return Object.entries(stamp.inputs).every(([file, hash]) => sha1(file) === hash);
}

function build() {
  const { buildSync } = require("esbuild");
  // Atomic writes: a concurrent or interrupted synth never runs a half-written bundle.
  const writeAtomically = require("write-file-atomic").sync;
  const result = buildSync(BUILD_OPTIONS);
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) inputs[input] = sha1(input);
  mkdirSync(outDir, { recursive: true });
  writeAtomically(outFile, result.outputFiles[0].contents);
  writeAtomically(stampFile, JSON.stringify({ runner: sha1(relative(root, __filename)), inputs }, null, 2));
}

if (!upToDate()) build();
require(outFile);
