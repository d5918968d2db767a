"use strict";
// The scenarios of npm run e2e (scripts/e2e.js): the lab's life, each with its checks.
const { mkdirSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { writeRoster } = require("../variants");
const { Failure, expectOnly } = require("./run");
const setup = require("./setup");

/** A second archive with other bytes: a new course release, imported again. */
function otherArchive() {
  const { strToU8, zipSync } = require("fflate");
  const notebook = { version: "NotebookV1", name: "validate", language: "python", commands: [{ command: "print(2)" }] };
  const dir = join(setup.work, "release-2");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "06 - Distributed Deep Learning.dbc");
  writeFileSync(
    file,
    zipSync({
      "06 - Distributed Deep Learning/validate.python": strToU8(JSON.stringify(notebook)),
      "06 - Distributed Deep Learning/extra.python": strToU8(JSON.stringify({ ...notebook, name: "extra" })),
    }),
  );
  return file;
}

const STUDENTS = ["ada@example.org", "grace@example.org", "alan@example.org"];

const SCENARIOS = {
  /** 1. The single learner on CPU. */
  async cpu(run) {
    const settings = {};
    run.synth(settings, "cpu");
    await run.init();
    await run.apply();
    await run.expectNoChanges("plan after apply");
    await run.destroy(settings);
  },

  /** 2. GPU, Japanese notebooks, trial tier, an IP allow-list (Terraform calls from inside it) and a token cap. */
  async "gpu-ja-trial-allow-list"(run) {
    const settings = {
      LAB_VARIANT: "gpu",
      LAB_NOTEBOOK_LANGUAGE: "ja",
      LAB_SKU: "trial",
      LAB_LOCATION: "japaneast",
      LAB_ALLOWED_IP_RANGES: `131.107.0.0/16,${run.emulator.callerAddress}`,
      LAB_MAX_TOKEN_LIFETIME_DAYS: "3",
    };
    run.synth(settings, "gpu, ja, trial, allow-list");
    await run.init();
    await run.apply();
    await run.expectNoChanges("plan after apply");
    const conf = run.emulator.databricks().conf;
    if (conf.enableIpAccessLists !== "true" || conf.maxTokenLifetimeDays !== "3") {
      throw new Failure(`workspace settings after the apply: ${JSON.stringify(conf)}`);
    }
    await run.destroy(settings);
  },

  /** 3. A class of 3 (personal, then policy compute): add a student, remove one; only theirs changes. */
  async "class-personal"(run) {
    await classScenario(run, "personal");
  },
  async "class-policy"(run) {
    await classScenario(run, "policy");
  },

  /** 4. Azure adds a tag to the workspace; a new archive is imported: in place, nothing else touched. */
  async "tags-and-reimport"(run) {
    const settings = {};
    run.synth(settings, "cpu");
    await run.init();
    await run.apply();
    await run.expectNoChanges("plan after apply");

    const workspace = [...run.emulator.state.workspaces.values()][0];
    workspace.tags = { ...workspace.tags, "added-by": "azure-policy" };
    const drift = await run.plan("plan after a tag drift");
    expectOnly(
      "tag drift",
      drift.changes,
      (c) => c.address.startsWith("azurerm_databricks_workspace.") && c.actions.join() === "update",
    );
    await run.apply("apply (tags back)");
    await run.expectNoChanges("plan after the tag apply");

    const release = otherArchive();
    const reimport = { LAB_NOTEBOOK_FILE: release };
    run.synth(reimport, "new archive");
    const changed = await run.plan("plan after a new archive");
    expectOnly("re-import", changed.changes, (c) => c.address.startsWith("databricks_notebook."));
    await run.apply("apply (re-import)");
    const folder = [...run.emulator.databricks().objects.values()].find((o) =>
      o.path.endsWith("/06 - Distributed Deep Learning/extra"),
    );
    if (!folder) throw new Failure("the new archive's notebook `extra` is not in the workspace after the re-import");
    await run.expectNoChanges("plan after the re-import");
    await run.destroy(reimport);
  },
};

async function classScenario(run, compute) {
  const dir = run.dir;
  const roster = (students) => writeRoster(join(dir, `roster-${students.length}`), students);
  const settings = { LAB_CLASSROOM_COMPUTE: compute };
  run.synth({ ...settings, LAB_STUDENTS_FILE: roster(STUDENTS) }, `class of 3 (${compute})`);
  await run.init();
  await run.apply();
  await run.expectNoChanges("plan after apply");
  const users = () => [...run.emulator.databricks().users.values()].map((u) => u.userName).sort();
  for (const s of STUDENTS) if (!users().includes(s)) throw new Failure(`${s} is not a workspace user after the apply`);
  // The class closes the built-in Personal Compute policy by editing it, which replaces every field:
  // its own description must be written back, or it is lost.
  const family = setup.POLICY_FAMILIES.find((f) => f.policy_family_id === "personal-vm");
  const builtin = [...run.emulator.databricks().policies.values()].find(
    (p) => p.policy_family_id === "personal-vm" && p.is_default,
  );
  if (builtin.description !== family.description) {
    throw new Failure(
      `the built-in Personal Compute policy lost its description (now ${JSON.stringify(builtin.description ?? null)})`,
    );
  }

  const added = "katherine@example.org";
  run.synth({ ...settings, LAB_STUDENTS_FILE: roster([...STUDENTS, added]) }, "a student added");
  const adding = await run.plan("plan with a student added");
  expectOnly(
    "adding a student",
    adding.changes,
    (c) => c.address.includes("katherine") && c.actions.join() === "create",
  );
  await run.apply("apply (student added)");
  await run.expectNoChanges("plan after adding");

  const leaving = "grace@example.org";
  const remaining = [...STUDENTS, added].filter((s) => s !== leaving);
  run.synth({ ...settings, LAB_STUDENTS_FILE: roster(remaining), LAB_REMOVE_STUDENTS: leaving }, "a student removed");
  const removing = await run.plan("plan with a student removed");
  expectOnly(
    "removing a student",
    removing.changes,
    (c) => c.address.includes("grace") && c.actions.join() === "delete",
  );
  await run.apply("apply (student removed)");
  if (users().includes(leaving)) throw new Failure(`${leaving} is still a workspace user after the removal`);
  const objects = [...run.emulator.databricks().objects.keys()];
  for (const s of remaining) {
    if (!objects.some((p) => p.startsWith(`/Classroom/DP-090/${s}/`)))
      throw new Failure(`${s}'s notebooks are gone after the removal`);
  }
  await run.expectNoChanges("plan after removing");
  await run.destroy(settings);
}

/** Longest first (the class scenarios take three applies). */
const ORDER = [
  "class-personal",
  "class-policy",
  "tags-and-reimport",
  "fault-interrupt",
  "fault-quota",
  "fault-throttling",
  "fault-workspace",
  "gpu-ja-trial-allow-list",
  "cpu",
];

module.exports = { SCENARIOS, ORDER, STUDENTS };
