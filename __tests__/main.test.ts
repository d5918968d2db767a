import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeDbc, sha256, tempDir, writeTemp } from "./helpers/dbc";
import { closedPort } from "./helpers/http-server";
import { writeDeployedState, writeDestroyedState } from "./helpers/state";

const ROOT = join(__dirname, "..");

/** Runs the app the way `cdktf synth` does: the `app` command of cdktf.json, in a project folder. */
function runApp(env: Record<string, string>, cwd = tempDir("cli-")) {
  const app = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app as string;
  const command = app.replace("scripts/", `${join(ROOT, "scripts")}/`);
  const result = spawnSync(command, {
    cwd,
    shell: true,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { ...result, cwd };
}

describe("the app entry point", () => {
  test("cdktf.json runs the app with plain node through the esbuild runner", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app).toBe("node scripts/run-app.js");
  });

  test("with a local archive and a GPU variant it writes cdktf.out/stacks/<name>/cdk.tf.json and the archive", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
    const run = runApp({ LAB_NOTEBOOK_FILE: file, LAB_VARIANT: "gpu", LAB_NAME: "cli-lab" }, dir);
    expect(run.stdout).toContain(`Notebook archive ${file} has sha256`);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);

    const stackDir = join(dir, "cdktf.out", "stacks", "cli-lab");
    const tf = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    const cluster = Object.values<Record<string, unknown>>(tf.resource.databricks_cluster)[0];
    expect(cluster).toMatchObject({
      node_type_id: "Standard_NC4as_T4_v3",
      num_workers: 2,
      spark_version: "15.4.x-gpu-ml-scala2.12",
    });
    const notebook = Object.values<{ source: string }>(tf.resource.databricks_notebook)[0];
    expect(existsSync(join(stackDir, notebook.source))).toBe(true);
  });

  test("bad settings exit non-zero with every problem and write nothing", () => {
    const run = runApp({ LAB_SKU: "standard", LAB_WORKERS: "50" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/The lab settings have 2 problems; nothing was synthesized or created\./);
    expect(run.stderr).toContain('LAB_SKU = "standard" (from environment)');
    expect(run.stderr).toContain('LAB_WORKERS = "50" (from environment)');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(run.cwd)).toEqual([]);
  });

  test("in CI, a synth without remote state exits 1 before anything is written", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("lab.dbc", makeDbc(), dir);
    const run = runApp(
      { LAB_NOTEBOOK_FILE: file, GITHUB_ACTIONS: "true", CI: "true", LAB_STATE_STORAGE_ACCOUNT: "" },
      dir,
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("LAB_STATE_STORAGE_ACCOUNT is not set");
    expect(run.stderr).toContain("must name the storage account of the lab's state in CI");
    expect(readdirSync(run.cwd)).toEqual(["lab.dbc"]);
  });

  test("an archive that cannot be had exits non-zero and writes no stack", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("broken.dbc", "not a zip", dir);
    const run = runApp({ LAB_NOTEBOOK_FILE: file }, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`LAB_NOTEBOOK_FILE ${file} is not a .dbc archive`);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });
});

describe("a refused synth leaves no deployable stack of the lab", () => {
  /** What an earlier good synth left: this lab's stack and another lab's, both in the manifest. */
  function earlierSynth(dir: string) {
    const out = join(dir, "cdktf.out");
    for (const stack of ["dp090-ddl", "other-lab"]) {
      mkdirSync(join(out, "stacks", stack), { recursive: true });
      writeFileSync(join(out, "stacks", stack, "cdk.tf.json"), "{}");
    }
    const entry = (name: string) => ({ name, synthesizedStackPath: `stacks/${name}/cdk.tf.json` });
    writeFileSync(
      join(out, "manifest.json"),
      JSON.stringify({
        version: "0.21.0",
        stacks: { "dp090-ddl": entry("dp090-ddl"), "other-lab": entry("other-lab") },
      }),
    );
    return out;
  }

  test.each([
    ["invalid settings", () => ({ LAB_SKU: "standard" }), /^The lab settings have 1 problem/m],
    [
      "an archive that is not one",
      (dir: string) => ({ LAB_NOTEBOOK_FILE: writeTemp("x.dbc", "not a zip", dir) }),
      /is not a \.dbc archive/,
    ],
    [
      "a change the state guard refuses",
      (dir: string) => {
        writeDeployedState(dir, { archiveSha256: sha256(makeDbc()) });
        return {
          LAB_NOTEBOOK_FILE: writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir),
          LAB_LOCATION: "westeurope",
        };
      },
      /LAB_LOCATION changed from eastus to westeurope/,
    ],
  ])("after %s, the stack is gone from the folder and the manifest, and the message says so", (_, envOf, refusal) => {
    const dir = tempDir("cli-");
    const out = earlierSynth(dir);
    const run = runApp(envOf(dir), dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(refusal);
    expect(run.stderr).toContain(
      "The last synth's stack cdktf.out/stacks/dp090-ddl was removed (and taken out of its manifest.json), so neither `cdktf deploy --skip-synth` nor Terraform in that folder can deploy settings that were refused.",
    );
    expect(existsSync(join(out, "stacks", "dp090-ddl"))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).stacks)).toEqual(["other-lab"]);
    expect(existsSync(join(out, "stacks", "other-lab", "cdk.tf.json"))).toBe(true);
  });
});

describe("a lab already deployed from this folder (its local state)", () => {
  test("a new LAB_LOCATION is refused before anything is written, with the way back and the way forward", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
    writeDeployedState(dir, { archiveSha256: sha256(makeDbc()) });
    const run = runApp({ LAB_NOTEBOOK_FILE: file, LAB_LOCATION: "westeurope" }, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("LAB_LOCATION changed from eastus to westeurope");
    expect(run.stderr).toContain("LAB_NAME=dp090-ddl LAB_LOCATION=eastus npm run destroy");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  test("another archive synthesizes, with a warning naming the folder whose edits the deploy replaces", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
    writeDeployedState(dir, { archiveSha256: "c".repeat(64) });
    const run = runApp({ LAB_NOTEBOOK_FILE: file }, dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^Warning: the next deploy deletes the notebook folder \/Users\/learner@example\.org\/06 - Distributed Deep Learning and imports another archive/m,
    );
  });

  test("other labs with resources in the folder are noted, so a renamed lab is not forgotten", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
    writeDeployedState(dir, { name: "old-lab", location: "japaneast" });
    // Another lab's damaged state files neither hide the others nor block this lab's synth.
    writeFileSync(join(dir, "terraform.broken.tfstate"), "{ half");
    writeFileSync(join(dir, "terraform.null.tfstate"), "null");
    writeFileSync(join(dir, "terraform.odd.tfstate"), '{"version": 4, "resources": {}}');
    const run = runApp({ LAB_NOTEBOOK_FILE: file }, dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "Note: other labs still have resources in this folder: old-lab (japaneast). `npm run labs` lists them.",
    );
  });
});

describe("this lab's own state file of any shape", () => {
  test.each([
    ["null", "it holds null, not an object"],
    ['{"version": 4, "resources": 7}', 'its "resources" is a number, not a list'],
  ])("%s stops the synth with a UserError naming the file (exit 1, no stack trace)", (content, what) => {
    const dir = tempDir("cli-");
    const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
    writeFileSync(join(dir, "terraform.dp090-ddl.tfstate"), content);
    const run = runApp({ LAB_NOTEBOOK_FILE: file }, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `The state file ${join(dir, "terraform.dp090-ddl.tfstate")} is not a Terraform state: ${what}.\nFix: restore it from terraform.dp090-ddl.tfstate.backup`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("destroy needs neither the network nor the archive cache", () => {
  /** What a user has after `rm -rf .cache` on a train: a deployed lab, no archive, no network. */
  async function offlineLab() {
    const dir = tempDir("cli-");
    writeDeployedState(dir);
    const unreachable = `http://127.0.0.1:${await closedPort()}/lab.dbc`;
    return {
      dir,
      env: {
        LAB_NOTEBOOK_URL: unreachable,
        LAB_NOTEBOOK_SHA256: "d".repeat(64),
        LAB_CACHE_DIR: join(dir, "empty-cache"),
      },
    };
  }

  test("a deploy's synth cannot get the archive and stops", async () => {
    const { dir, env } = await offlineLab();
    const run = runApp(env, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^The notebook archive could not be had from any address:/);
  });

  test("the destroy's synth (as npm run destroy runs it) writes the stack without the notebook folder", async () => {
    const { dir, env } = await offlineLab();
    // Even after a settings change that a deploy would refuse: only LAB_NAME matters to a destroy.
    const run = runApp({ ...env, LAB_LOCATION: "westeurope", DP090_DESTROY: "1" }, dir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const tf = JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", "dp090-ddl", "cdk.tf.json"), "utf8"));
    expect(tf.resource.databricks_notebook).toBeUndefined();
    expect(Object.keys(tf.resource)).toEqual(
      expect.arrayContaining(["azurerm_resource_group", "azurerm_databricks_workspace", "databricks_cluster"]),
    );
    expect(tf.provider.databricks).toHaveLength(1);
    expect(tf.terraform.backend.local.path).toBe(join(dir, "terraform.dp090-ddl.tfstate"));
  });

  const plan = (dir: string, env: Record<string, string> = {}) =>
    spawnSync("node", [join(ROOT, "scripts", "run-app.js"), "commands/destroy-plan.ts"], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: dir, ...env },
    });

  test("the destroy's first step lets a deployed lab through, whatever a roster deleted since or a mistyped variant", () => {
    const dir = tempDir("destroy-");
    writeDeployedState(dir);
    const run = plan(dir, { LAB_STUDENTS_FILE: "gone.csv", LAB_VARIANT: "tpu" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  test("with nothing of the lab deployed it says so and which labs are, and stops before any Terraform", () => {
    const dir = tempDir("destroy-");
    writeDeployedState(dir, { name: "class-b", location: "japaneast" });
    writeDestroyedState(dir);
    const run = plan(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      [
        `Nothing of lab dp090-ddl is deployed from this folder (no resources in ${join(dir, "terraform.dp090-ddl.tfstate")}); nothing was destroyed and Terraform was not run.`,
        "Labs with resources here:",
        "  class-b (japaneast): LAB_NAME=class-b npm run destroy",
        "Fix: set LAB_NAME to the lab to destroy (npm run labs lists them).",
        "",
      ].join("\n"),
    );
  });

  test("a class stops the destroy's first step until --export-work or --discard-work is chosen", () => {
    const dir = tempDir("destroy-");
    writeDeployedState(dir, { students: ["ada@example.org"] });
    const refused = plan(dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^Lab dp090-ddl has a class of 1 student \(state: .*\); nothing was destroyed\.\n/);
    expect(refused.stderr).toContain("  - or discard it: npm run destroy -- --discard-work");
    expect(plan(dir, { DP090_CLASS_WORK: "discard" }).status).toBe(0);
    expect(plan(dir, { DP090_CLASS_WORK: "export" }).status).toBe(0);
  });

  test("a lab kept in Azure Storage goes on to Terraform, which reads its state", () => {
    expect(plan(tempDir("destroy-"), { LAB_STATE_STORAGE_ACCOUNT: "stlabstate" }).status).toBe(0);
  });

  test("the destroy's synth takes a deleted roster and a bad variant as unset", async () => {
    const { dir, env } = await offlineLab();
    const run = runApp({ ...env, LAB_STUDENTS_FILE: "gone.csv", LAB_VARIANT: "tpu", DP090_DESTROY: "1" }, dir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, "cdktf.out", "stacks", "dp090-ddl", "cdk.tf.json"))).toBe(true);
  });
});

describe("npm run destroy of a class: the students' work is exported or discarded, never lost by default", () => {
  test("the destroy's synth of a class without a choice stops, naming both choices", () => {
    const dir = tempDir("cli-");
    writeDeployedState(dir, { students: ["ada@example.org", "grace@example.org"] });
    const run = runApp({ LAB_NOTEBOOK_FILE: writeTemp("lab.dbc", makeDbc(), dir), DP090_DESTROY: "1" }, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `Lab dp090-ddl has a class of 2 students (state: ${join(dir, "terraform.dp090-ddl.tfstate")}); nothing was destroyed.`,
    );
    expect(run.stderr).toContain("npm run destroy -- --export-work");
    expect(run.stderr).toContain("npm run destroy -- --discard-work");
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });

  /** scripts/destroy.js in a project whose cdktf and commands are stand-ins that report how they were run. */
  function fakeProject(exportStatus: number, planStatus = 0) {
    const dir = tempDir("destroy-");
    mkdirSync(join(dir, "scripts"));
    copyFileSync(join(ROOT, "scripts", "destroy.js"), join(dir, "scripts", "destroy.js"));
    writeFileSync(
      join(dir, "scripts", "run-app.js"),
      `console.log(JSON.stringify({ ran: process.argv.slice(2) })); process.exitCode = process.argv[2] === "commands/destroy-plan.ts" ? ${planStatus} : ${exportStatus};\n`,
    );
    const bin = join(dir, "node_modules", "cdktf-cli", "bundle", "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, "cdktf"),
      "console.log(JSON.stringify({ args: process.argv.slice(2), choice: process.env.DP090_CLASS_WORK }));\n",
    );
    return (...args: string[]) =>
      spawnSync("node", [join(dir, "scripts", "destroy.js"), ...args], {
        encoding: "utf8",
        env: { PATH: process.env.PATH },
      });
  }
  const PLANNED = { ran: ["commands/destroy-plan.ts"] };
  const lines = (stdout: string) =>
    stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));

  test("--discard-work goes straight to cdktf destroy (no export, no call of its own), the choice passed on", () => {
    const run = fakeProject(0)("--discard-work", "--auto-approve");
    expect(run.status).toBe(0);
    expect(lines(run.stdout)).toEqual([PLANNED, { args: ["destroy", "--auto-approve"], choice: "discard" }]);
  });

  test("--export-work exports first, then destroys", () => {
    const run = fakeProject(0)("--export-work");
    expect(run.status).toBe(0);
    expect(lines(run.stdout)).toEqual([
      PLANNED,
      { ran: ["commands/export-work.ts"] },
      { args: ["destroy"], choice: "export" },
    ]);
  });

  test("--export-work with a failed export destroys nothing", () => {
    const run = fakeProject(1)("--export-work");
    expect(run.status).toBe(1);
    expect(lines(run.stdout)).toEqual([PLANNED, { ran: ["commands/export-work.ts"] }]);
    expect(run.stderr).toContain("The export did not go through for every folder (see above); nothing was destroyed.");
  });

  test("when the first step finds nothing to destroy, nothing else runs and its exit code is kept", () => {
    const run = fakeProject(0, 1)("--export-work");
    expect(run.status).toBe(1);
    expect(lines(run.stdout)).toEqual([PLANNED]);
  });

  test("both choices at once are refused", () => {
    const run = fakeProject(0)("--export-work", "--discard-work");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
  });
});

describe("a class already deployed from this folder", () => {
  test("a roster that drops a student stops the synth until LAB_REMOVE_STUDENTS names them", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
    writeDeployedState(dir, { archiveSha256: sha256(makeDbc()), students: ["ada@example.org", "grace@example.org"] });
    const roster = writeTemp("class.csv", "email\nada@example.org\n", dir);
    const refused = runApp({ LAB_NOTEBOOK_FILE: file, LAB_STUDENTS_FILE: roster }, dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("  grace@example.org (folder /Classroom/DP-090/grace@example.org)");
    expect(refused.stderr).toContain("LAB_REMOVE_STUDENTS=grace@example.org");
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);

    const confirmed = runApp(
      { LAB_NOTEBOOK_FILE: file, LAB_STUDENTS_FILE: roster, LAB_REMOVE_STUDENTS: "grace@example.org" },
      dir,
    );
    expect(confirmed.status).toBe(0);
    const tf = JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", "dp090-ddl", "cdk.tf.json"), "utf8"));
    expect(Object.values<{ user_name: string }>(tf.resource.databricks_user).map((u) => u.user_name)).toEqual([
      "ada@example.org",
    ]);
  });

  test("a bad roster exits 1 with every problem and writes nothing", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("06 - Distributed Deep Learning.dbc", makeDbc(), dir);
    const roster = writeTemp("class.csv", "email,phone\nada@example.org,1\nbob@\n", dir);
    const run = runApp({ LAB_NOTEBOOK_FILE: file, LAB_STUDENTS_FILE: roster }, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^The lab settings have 2 problems; nothing was synthesized or created\./);
    expect(run.stderr).toContain('line 1: unknown column "phone"');
    expect(run.stderr).toContain('line 3: "bob@" is not an e-mail address (name@domain).');
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });
});
