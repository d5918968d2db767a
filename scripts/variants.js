// The synthesized variants that validate.js and checkov.js hand to the real tools, and how they
// are synthesized: as `cdktf synth` runs the app, with a small generated archive standing in for
// the course's (downloaded, never committed).
"use strict";
const { spawnSync } = require("node:child_process");
const { mkdirSync, writeFileSync } = require("node:fs");
const os = require("node:os");
const { join } = require("node:path");
const { strToU8, zipSync } = require("fflate");

const root = join(__dirname, "..");
const STUDENTS = ["ada@example.org", "grace@example.org", "alan@example.org"];

/** Each variant: its settings; a roster, and whether its tests plan a roster change. */
const VARIANTS = [
  { name: "cpu", env: {} },
  { name: "gpu", env: { LAB_VARIANT: "gpu" } },
  { name: "ja-trial", env: { LAB_NOTEBOOK_LANGUAGE: "ja", LAB_SKU: "trial", LAB_LOCATION: "japaneast" } },
  { name: "allow-list", env: { LAB_ALLOWED_IP_RANGES: "20.50.0.0/24,52.160.10.7" } },
  {
    name: "class-personal",
    env: { LAB_CLASSROOM_COMPUTE: "personal", LAB_BUDGET: "600", LAB_BUDGET_EMAILS: "teacher@example.org" },
    roster: STUDENTS,
    rosterChanged: true,
  },
  { name: "class-policy", env: { LAB_CLASSROOM_COMPUTE: "policy" }, roster: STUDENTS },
];

/** Writes the stand-in archive into `work` and returns its path. */
function makeArchive(work) {
  const notebook = { version: "NotebookV1", name: "validate", language: "python", commands: [] };
  const file = join(work, "06 - Distributed Deep Learning.dbc");
  writeFileSync(file, zipSync({ "06 - Distributed Deep Learning/validate.python": strToU8(JSON.stringify(notebook)) }));
  return file;
}

function writeRoster(dir, students) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "class.csv");
  writeFileSync(file, ["email", ...students].join("\n"));
  return file;
}

/** Synthesizes the lab in `dir` with `settings`; returns the stack's folder, or throws with the app's output. */
function synth(dir, settings, { archive, env = process.env }) {
  mkdirSync(dir, { recursive: true });
  const result = spawnSync(process.execPath, [join(root, "scripts", "run-app.js")], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...env,
      // A synth to check, never to deploy: in CI the app would refuse it for its local state.
      CI: undefined,
      GITHUB_ACTIONS: undefined,
      LAB_NOTEBOOK_FILE: archive,
      LAB_CACHE_DIR: join(dir, "cache"),
      CDKTF_OUTDIR: join(dir, "out"),
      ...settings,
    },
  });
  if (result.status !== 0) throw new Error(`synth failed in ${dir}:\n${result.stdout}\n${result.stderr}`);
  return join(dir, "out", "stacks", "dp090-ddl");
}

/** Synthesizes a variant (with its roster) in `dir`. */
function synthVariant(variant, dir, options) {
  const settings = { ...variant.env };
  if (variant.roster) settings.LAB_STUDENTS_FILE = writeRoster(dir, variant.roster);
  return synth(dir, settings, options);
}

/** The two providers the stack pins, as Terraform names them. */
const PROVIDERS = ["registry.terraform.io/hashicorp/azurerm", "registry.terraform.io/databricks/databricks"];

/** Where validate.js and e2e.js look for a provider mirror already on the machine. */
const PROVIDER_MIRROR =
  process.env.DP090_PROVIDER_MIRROR || join(os.homedir(), ".cache", "dp090-lab", "terraform-mirror");

/**
 * A Terraform CLI configuration that installs `providers` from the filesystem mirror at `path` and
 * nothing of them from elsewhere, written into `dir`; returns its path (for TF_CLI_CONFIG_FILE).
 */
function writeMirrorConfig(dir, path, providers = PROVIDERS) {
  const config = join(dir, "providers.tfrc");
  writeFileSync(
    config,
    `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(path)}
    include = ${JSON.stringify(providers)}
  }
  direct {
    exclude = ${JSON.stringify(providers)}
  }
}
`,
  );
  return config;
}

module.exports = {
  PROVIDERS,
  PROVIDER_MIRROR,
  VARIANTS,
  makeArchive,
  synth,
  synthVariant,
  writeMirrorConfig,
  writeRoster,
};
