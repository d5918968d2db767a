#!/usr/bin/env node
// npm run e2e [-- --only <scenario,...>] [-- --keep] [-- --serial]
// npm run e2e -- --bench [--write]: apply and destroy wall time for the single learner and classes
//   of 1, 20 and 40 under the latency model (LATENCY_MODEL), one at a time; --write records them
//   in BENCHMARKS.md.
//
// The lab's whole life with real Terraform and the real providers (azurerm 4.55.0, databricks
// 1.99.0) against the emulator (__tests__/emulator): each scenario synthesizes the stack as
// `cdktf synth` does, then runs `terraform init/apply/plan/destroy` in the stack's folder, as
// `cdktf deploy` would, printing what Terraform printed. After every apply, `plan
// -detailed-exitcode` must find nothing to do; every destroy is the offline one `npm run destroy`
// synthesizes (no archive, no cache), after which the emulator must hold nothing.
//
// The stack is the one users deploy. Only a Terraform override file written next to it
// (`emulator_override.tf.json`) points the providers at the emulator: azurerm's `metadata_host`,
// test client credentials, no provider registrations; databricks' personal-token auth.
//
// Providers come from the Terraform registry, or from the provider mirror `npm run validate` uses
// (DP090_PROVIDER_MIRROR, else ~/.cache/dp090-lab/terraform-mirror).
// Exit codes: 0 every scenario passed, 1 one failed, 3 cannot run here (no Terraform, no providers).
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } = require("node:fs");
const os = require("node:os");
const { join } = require("node:path");
const { PROVIDERS, PROVIDER_MIRROR, makeArchive, synth, writeMirrorConfig } = require("./variants");
const { BENCH, LATENCY_MODEL, benchReport } = require("./e2e/bench");
const { FAULTS } = require("./e2e/faults");
const { Failure, Run } = require("./e2e/run");
const { ORDER, SCENARIOS } = require("./e2e/scenarios");
const setup = require("./e2e/setup");

const root = join(__dirname, "..");
const EXIT_SKIPPED = 3;
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : undefined;
const keep = args.includes("--keep");
const bench = args.includes("--bench");
const serial = args.includes("--serial") || bench;
const writeBench = args.includes("--write");
/**
 * Scenarios at once: each is a Terraform process, two providers and an emulator; more than a few
 * on two cores starve the TLS handshakes (Go gives up after 10 s).
 */
const jobs = serial ? 1 : Number(args.includes("--jobs") ? args[args.indexOf("--jobs") + 1] : 3);
/** Extra emulator latency for every scenario (JSON of the emulator's `latency` option), e.g. to widen a race. */
const extraLatency = process.env.DP090_E2E_LATENCY ? JSON.parse(process.env.DP090_E2E_LATENCY) : {};

const terraform = process.env.TERRAFORM_BINARY_NAME || "terraform";
/** Longest any one Terraform command may take before it is interrupted (SIGINT, then SIGKILL). */
const COMMAND_TIMEOUT_MS = Number(process.env.DP090_E2E_TIMEOUT_MS || 300_000);

function skip(message) {
  console.log(`SKIPPED: ${message}`);
  process.exit(EXIT_SKIPPED);
}

const version = spawnSync(terraform, ["version", "-json"], { encoding: "utf8" });
if (version.error || version.status !== 0) {
  skip(`Terraform could not be run ("${terraform}"); install it or set TERRAFORM_BINARY_NAME.`);
}
// OpenTofu answers `version -json` with the same field (cdktf runs either through TERRAFORM_BINARY_NAME).
const tfVersion = JSON.parse(version.stdout).terraform_version;
const tool = /opentofu|tofu/i.test(`${version.stdout}${terraform}`) ? "OpenTofu" : "Terraform";

const work = mkdtempSync(join(os.tmpdir(), "dp090-e2e-"));
process.on("exit", () => (keep ? console.log(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));

const mirror = PROVIDER_MIRROR;
// Only what Terraform needs: no Azure or Databricks login of the person running the tests leaks in.
const baseEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  TMPDIR: os.tmpdir(),
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  // Every stack folder links the providers from one cache instead of copying ~280 MB each.
  TF_PLUGIN_CACHE_DIR: join(work, "plugin-cache"),
};
mkdirSync(baseEnv.TF_PLUGIN_CACHE_DIR);
let providerSource;
if (PROVIDERS.every((p) => existsSync(join(mirror, p)))) {
  // OpenTofu reads `source = "azurerm"` as registry.opentofu.org/hashicorp/azurerm: the mirror is
  // offered under both registry host names (links into the one mirror).
  const overlay = join(work, "mirror");
  mkdirSync(overlay);
  // Folders copied, files linked: the mirror's scan does not follow a linked folder.
  const copy = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (entry.isDirectory()) copy(join(from, entry.name), join(to, entry.name));
      else symlinkSync(join(from, entry.name), join(to, entry.name));
    }
  };
  for (const host of ["registry.terraform.io", "registry.opentofu.org"])
    copy(join(mirror, "registry.terraform.io"), join(overlay, host));
  const hosts = PROVIDERS.flatMap((p) => [p, p.replace("registry.terraform.io", "registry.opentofu.org")]);
  baseEnv.TF_CLI_CONFIG_FILE = writeMirrorConfig(work, overlay, hosts);
  providerSource = `the mirror ${mirror}`;
} else {
  providerSource = "the Terraform registry";
}

/**
 * The emulator, bundled from its TypeScript sources (esbuild strips the types, as run-app.js does);
 * with it, the project's own cluster status reading (`npm run status`), to check that a fault is reported.
 */
function loadEmulator() {
  const outdir = join(root, ".build", "e2e");
  require("esbuild").buildSync({
    absWorkingDir: root,
    entryPoints: ["__tests__/emulator/index.ts", "__tests__/emulator/lab-status.ts"],
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    outdir,
    logLevel: "error",
  });
  return { ...require(join(outdir, "index.js")), ...require(join(outdir, "lab-status.js")) };
}
const { startEmulator, labStatus, POLICY_FAMILIES } = loadEmulator();

const archive = makeArchive(work);
Object.assign(setup, {
  work,
  archive,
  baseEnv,
  terraform,
  COMMAND_TIMEOUT_MS,
  labStatus,
  POLICY_FAMILIES,
  tool,
  tfVersion,
  writeBench,
});
Object.assign(SCENARIOS, FAULTS);

async function runScenario(name) {
  // The stack accepts public addresses only: these stand for the classroom and the deploying machine.
  const latency = { ...(bench ? LATENCY_MODEL : {}), ...extraLatency };
  const emulator = await startEmulator({ callerAddress: "52.160.10.7", latency });
  const run = new Run(name, emulator);
  mkdirSync(run.dir, { recursive: true });
  run.caBundle = emulator.writeCaBundle(run.dir);
  const started = Date.now();
  try {
    await (bench ? BENCH : SCENARIOS)[name](run);
    // A call the emulator does not know fails the scenario even when Terraform shrugged it off.
    if (emulator.unknownCalls.length) {
      throw new Failure(`calls the emulator does not know: ${[...new Set(emulator.unknownCalls)].join(", ")}`);
    }
    return {
      name,
      ok: true,
      ms: Date.now() - started,
      steps: run.steps,
      timing: run.timing,
      calls: emulator.requests.length,
    };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    run.log(`FAILED: ${error.message}`);
    for (const note of emulator.notes) run.log(`  emulator: ${note}`);
    return { name, ok: false, ms: Date.now() - started, steps: run.steps, message: error.message };
  } finally {
    await emulator.close();
  }
}

async function main() {
  console.log(`${tool} ${tfVersion}; providers from ${providerSource}`);
  const names = (bench ? Object.keys(BENCH) : ORDER).filter((n) => !only || only.includes(n));
  // One init before the scenarios: it fills the plugin cache, which concurrent inits must not
  // (Terraform's plugin cache is not safe for concurrent installs), and, with the registry, finds
  // out once whether it can be reached.
  const probeDir = join(work, "providers-probe");
  mkdirSync(probeDir, { recursive: true });
  const probeStack = synth(probeDir, {}, { archive, env: process.env });
  const init = spawnSync(terraform, ["init", "-backend=false", "-input=false", "-no-color"], {
    cwd: probeStack,
    env: baseEnv,
    encoding: "utf8",
  });
  if (init.status !== 0 && !baseEnv.TF_CLI_CONFIG_FILE) {
    skip(
      `the providers could not be installed: no access to the Terraform registry, and no provider mirror at ${mirror}.\n${init.stderr.trim()}`,
    );
  }
  if (init.status !== 0) throw new Error(`terraform init with the mirror ${mirror} failed:\n${init.stderr}`);
  const started = Date.now();
  // The longest first, so that the short ones fill in behind them.
  const results = [];
  const queue = [...names];
  await Promise.all(
    Array.from({ length: Math.min(jobs, names.length) }, async () => {
      while (queue.length) {
        const name = queue.shift();
        results.push(await runScenario(name));
      }
    }),
  );
  results.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));

  console.log("\nscenario                    result   wall time   slowest steps");
  for (const r of results) {
    const slow = [...r.steps]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((s) => `${s.step} ${(s.ms / 1000).toFixed(0)} s`);
    console.log(
      `${r.name.padEnd(28)}${(r.ok ? "passed" : "FAILED").padEnd(9)}${`${(r.ms / 1000).toFixed(0)} s`.padEnd(12)}${slow.join(", ")}`,
    );
  }
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.log(`\n${r.name}: ${r.message}`);
  console.log(
    `\n${failed.length ? `${failed.length} scenario(s) failed` : "Every scenario passed"} in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  );
  process.exitCode = failed.length ? 1 : 0;
  if (bench && !failed.length) benchReport(results);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
