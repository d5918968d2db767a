#!/usr/bin/env node
// The app command of cdktf.json. It transpiles main.ts and what it imports with esbuild, which only
// strips types (tens of milliseconds), and runs the result with plain node. Type errors are
// caught by `npm run typecheck` (part of `npm test`), not on every synth.
// Bundling only the project's own files keeps node_modules external, so cdktf and the provider
// classes load exactly as they do under ts-node.
"use strict";
const { buildSync } = require("esbuild");
const { mkdirSync, renameSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const outDir = join(root, ".build");
const outFile = join(outDir, "main.js");

const result = buildSync({
  entryPoints: [join(root, "main.ts")],
  bundle: true,
  packages: "external",
  platform: "node",
  target: "node20",
  format: "cjs",
  write: false,
  logLevel: "error",
});
mkdirSync(outDir, { recursive: true });
// Rename into place so a concurrent synth never runs a half-written file.
const temp = `${outFile}.${process.pid}.tmp`;
writeFileSync(temp, result.outputFiles[0].contents);
renameSync(temp, outFile);
require(outFile);
