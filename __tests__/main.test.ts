import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { makeDbc, tempDir, writeTemp } from "./helpers/dbc";

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

  test("an archive that cannot be had exits non-zero and writes no stack", () => {
    const dir = tempDir("cli-");
    const file = writeTemp("broken.dbc", "not a zip", dir);
    const run = runApp({ LAB_NOTEBOOK_FILE: file }, dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`LAB_NOTEBOOK_FILE ${file} is not a .dbc archive`);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
  });
});
