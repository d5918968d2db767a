#!/usr/bin/env node
// npm run checkov [-- --only <variant>]
//
// Runs checkov (pinned, from PyPI) on every synthesized variant and reconciles its findings with
// checkov-accepted.json: each failed check must be accepted there with its reason (and the rule of
// the pack it mirrors); a new failure, or an accepted one that no longer fails, exits 1.
// checkov is installed once into ~/.cache/dp090-lab/checkov-<version> (CHECKOV_BIN to use another).
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const os = require("node:os");
const { join } = require("node:path");
const { VARIANTS, makeArchive, synthVariant } = require("./variants");

const root = join(__dirname, "..");
const accepted = JSON.parse(readFileSync(join(root, "checkov-accepted.json"), "utf8"));
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

function checkovBinary() {
  if (process.env.CHECKOV_BIN) return process.env.CHECKOV_BIN;
  const venv = join(os.homedir(), ".cache", "dp090-lab", `checkov-${accepted.checkov}`);
  const bin = join(venv, "bin", "checkov");
  if (existsSync(bin)) return bin;
  console.log(`Installing checkov ${accepted.checkov} into ${venv} (once; about a minute) ...`);
  const python = process.env.PYTHON || "python3";
  for (const [command, argv] of [
    [python, ["-m", "venv", venv]],
    [join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", `checkov==${accepted.checkov}`]],
  ]) {
    const r = spawnSync(command, argv, { stdio: "inherit" });
    if (r.status !== 0) {
      rmSync(venv, { recursive: true, force: true });
      console.error(`Could not install checkov (${command} ${argv.join(" ")} exited ${r.status ?? r.error?.message}).`);
      process.exit(2);
    }
  }
  return bin;
}

/**
 * cdktf's JSON as checkov's terraform_json parser reads it: without cdktf's "//" metadata and the
 * `terraform` block (its string `required_version` stops the parser); nothing checkov judges changes.
 */
function forCheckov(json) {
  const strip = (value) =>
    Array.isArray(value)
      ? value.map(strip)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([k]) => k !== "//")
              .map(([k, v]) => [k, strip(v)]),
          )
        : value;
  const { terraform: _, ...rest } = strip(json);
  return rest;
}

const checkov = checkovBinary();
const work = mkdtempSync(join(os.tmpdir(), "dp090-checkov-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));
const archive = makeArchive(work);
// checkov asks an online service for guideline links; offline that only costs retries.
const env = { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false", LOG_LEVEL: "ERROR" };

let problems = 0;
const seen = new Set();
for (const variant of VARIANTS.filter((v) => !only || v.name === only)) {
  const stackDir = synthVariant(variant, join(work, variant.name), { archive });
  const scan = join(work, `${variant.name}.tf.json`);
  writeFileSync(
    scan,
    JSON.stringify(forCheckov(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"))), null, 2),
  );
  const r = spawnSync(checkov, ["-f", scan, "--framework", "terraform_json", "--skip-download", "-o", "json"], {
    encoding: "utf8",
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  let report;
  try {
    const parsed = JSON.parse(r.stdout);
    report = Array.isArray(parsed) ? parsed[0] : parsed;
  } catch {
    report = undefined;
  }
  if (!report) {
    console.error(`checkov gave no report for ${variant.name} (exit ${r.status ?? r.error?.message}):\n${r.stderr}`);
    process.exit(2);
  }
  const results = report.results ?? {};
  if (report.summary?.parsing_errors) {
    console.error(`checkov could not parse the ${variant.name} stack.`);
    problems++;
  }
  const failed = (results.failed_checks ?? []).map((c) => ({
    id: c.check_id,
    resource: c.resource,
    name: c.check_name,
  }));
  const passed = [...new Set((results.passed_checks ?? []).map((c) => c.check_id))];
  console.log(`\n== ${variant.name}: ${passed.length} check(s) passed, ${failed.length} failed`);
  for (const f of failed) {
    seen.add(f.id);
    const ok = accepted.accepted[f.id];
    console.log(`  ${ok ? "accepted" : "NEW     "} ${f.id} ${f.resource}: ${f.name}`);
    if (!ok) problems++;
  }
}
if (!only) {
  for (const id of Object.keys(accepted.accepted).filter((id) => !seen.has(id))) {
    console.log(
      `\n${id} is accepted in checkov-accepted.json but failed on no variant: remove it (and its row in docs/security.md).`,
    );
    problems++;
  }
}
console.log(
  problems
    ? `\n${problems} finding(s) to reconcile: fix the stack, or accept the check with its reason in checkov-accepted.json and docs/security.md.`
    : "\nEvery checkov finding is accepted, with its reason.",
);
process.exitCode = problems ? 1 : 0;
