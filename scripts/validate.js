#!/usr/bin/env node
// npm run validate [-- --only <variant>] [-- --keep]
//
// Hands every synthesized variant to Terraform itself: `terraform init`, `terraform validate`
// against the real provider schemas (azurerm 4.55.0, databricks 1.99.0), then `terraform test`
// with mock providers (terraform-tests/), which plans and applies in memory.
//
// Providers come from the Terraform registry, as for any user. Where it cannot be reached, a
// local provider mirror is used instead when one exists: DP090_PROVIDER_MIRROR, else
// ~/.cache/dp090-lab/terraform-mirror (laid out as registry.terraform.io/<ns>/<name>/<version>/
// <os>_<arch>/terraform-provider-<name>_v<version>); the script then writes a Terraform CLI
// configuration for the run that installs the two providers from it and nothing from elsewhere.
// Exit codes: 0 all passed, 1 a check failed, 3 cannot run here (no Terraform, no providers;
// EXIT.CANNOT_RUN in lab/errors.ts).
"use strict";
const { spawnSync } = require("node:child_process");
const {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} = require("node:fs");
const os = require("node:os");
const { join } = require("node:path");
const {
  PROVIDER_MIRROR,
  VARIANTS,
  makeArchive,
  synth,
  synthVariant,
  writeMirrorConfig,
  writeRoster,
} = require("./variants");

const root = join(__dirname, "..");
const MIN_TERRAFORM = [1, 9]; // mock_provider sources and run state_key
const CANNOT_RUN = 3;

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const keep = args.includes("--keep");
const terraform = process.env.TERRAFORM_BINARY_NAME || "terraform";

function fail(code, message) {
  console.error(message);
  process.exit(code);
}

function run(command, argv, options) {
  return spawnSync(command, argv, { encoding: "utf8", ...options });
}

const version = run(terraform, ["version", "-json"]);
if (version.error || version.status !== 0) {
  fail(
    CANNOT_RUN,
    `Terraform could not be run ("${terraform}": ${version.error?.message ?? `exit ${version.status}`}).\nInstall Terraform ${MIN_TERRAFORM.join(".")} or later (developer.hashicorp.com/terraform/install) and put it on PATH, or set TERRAFORM_BINARY_NAME.`,
  );
}
const tfVersion = JSON.parse(version.stdout).terraform_version;
const [major, minor] = tfVersion.split(".").map(Number);
if (major < MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor < MIN_TERRAFORM[1])) {
  fail(
    CANNOT_RUN,
    `Terraform ${tfVersion} is too old: terraform test with mock providers needs ${MIN_TERRAFORM.join(".")} or later.`,
  );
}

const mirror = PROVIDER_MIRROR;
const work = mkdtempSync(join(os.tmpdir(), "dp090-validate-"));
process.on("exit", () => (keep ? console.log(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));

const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
if (existsSync(join(mirror, "registry.terraform.io"))) {
  env.TF_CLI_CONFIG_FILE = writeMirrorConfig(work, mirror);
  console.log(`Terraform ${tfVersion}; providers from the mirror ${mirror}`);
} else {
  console.log(`Terraform ${tfVersion}; providers from the Terraform registry (no mirror at ${mirror})`);
}

const archive = makeArchive(work);

/** A copy of the stack as a changed deployment would see it, planned against the first one's state. */
function companion(stackDir, name, json) {
  const dir = join(stackDir, name);
  mkdirSync(dir);
  delete json.terraform.backend;
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  symlinkSync(join(stackDir, "assets"), join(dir, "assets"));
  return dir;
}

let failed = 0;
for (const variant of VARIANTS.filter((v) => !only || v.name === only)) {
  const dir = join(work, variant.name);
  const stackDir = synthVariant(variant, dir, { archive, env });
  const stack = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));

  // Azure Policy (or a person) adds a tag to the workspace.
  const drift = JSON.parse(JSON.stringify(stack));
  Object.values(drift.resource.azurerm_databricks_workspace)[0].tags["added-by"] = "azure-policy";
  companion(stackDir, "tag-drift", drift);
  // The destroy's synth as `npm run destroy` runs it offline: no network, no archive, no cache.
  const offline = synth(
    join(dir, "destroy"),
    {
      ...variant.env,
      LAB_STUDENTS_FILE: "",
      LAB_NOTEBOOK_FILE: "",
      LAB_NOTEBOOK_URL: "http://127.0.0.1:9/unreachable.dbc",
      LAB_NOTEBOOK_SHA256: "0".repeat(64),
      DP090_DESTROY: "1",
    },
    { archive, env },
  );
  companion(stackDir, "destroy-offline", JSON.parse(readFileSync(join(offline, "cdk.tf.json"), "utf8")));
  if (variant.rosterChanged) {
    const leaving = variant.roster.filter((s) => !s.startsWith("grace"));
    const changedDir = join(dir, "changed");
    const changed = synth(
      changedDir,
      { ...variant.env, LAB_STUDENTS_FILE: writeRoster(changedDir, leaving) },
      { archive, env },
    );
    companion(stackDir, "roster-changed", JSON.parse(readFileSync(join(changed, "cdk.tf.json"), "utf8")));
  }

  const tests = join(stackDir, "tests");
  mkdirSync(tests);
  cpSync(join(root, "terraform-tests", "mocks"), join(tests, "mocks"), { recursive: true });
  for (const file of ["lab.tftest.hcl", `${variant.name}.tftest.hcl`]) {
    if (existsSync(join(root, "terraform-tests", file))) cpSync(join(root, "terraform-tests", file), join(tests, file));
  }

  console.log(`\n== ${variant.name}`);
  for (const step of [
    ["init", "-backend=false", "-input=false", "-no-color"],
    ["validate", "-no-color"],
    ["test", "-no-color"],
  ]) {
    const result = run(terraform, step, { cwd: stackDir, env });
    const shown =
      step[0] === "init"
        ? result.stdout.split("\n").filter((l) => /Installed|Error/.test(l))
        : result.stdout.trim().split("\n");
    for (const line of shown) console.log(`  ${line}`);
    if (result.status !== 0) {
      console.log(result.stderr.trim().replace(/^/gm, "  "));
      if (step[0] === "init" && /registry\.terraform\.io/.test(result.stderr)) {
        fail(
          CANNOT_RUN,
          "The providers could not be installed: no access to the Terraform registry, and no provider mirror (see DP090_PROVIDER_MIRROR above).",
        );
      }
      failed++;
      break;
    }
  }
}

console.log(
  failed ? `\n${failed} variant(s) failed.` : "\nEvery variant is valid Terraform and passes its plan tests.",
);
process.exitCode = failed ? 1 : 0;
