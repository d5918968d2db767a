import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./helpers/dbc";
import { closedPort } from "./helpers/http-server";
import { writeDeployedState, writeDestroyedState } from "./helpers/state";

const ROOT = join(__dirname, "..");

async function labs(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  // Offline: prices from the bundled snapshot, as a user without network sees them.
  const prices = `http://127.0.0.1:${await closedPort()}/prices`;
  return spawnSync("node", [join(ROOT, "scripts", "run-app.js"), "commands/labs.ts", ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: dir, LAB_PRICES_API_URL: prices, LAB_CACHE_DIR: join(dir, "cache"), ...env },
  });
}

describe("npm run labs", () => {
  test("lists each lab with resources: region, variant, what exists, what it costs, how to destroy it", async () => {
    const dir = tempDir("labs-");
    writeDeployedState(dir);
    writeDeployedState(dir, {
      name: "gpu-class",
      location: "westeurope",
      nodeType: "Standard_NC4as_T4_v3",
      workers: 2,
      runtime: "15.4.x-gpu-ml-scala2.12",
    });
    writeDestroyedState(dir, "gone");
    const run = await labs(dir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [
        `Labs with resources in ${dir}:`,
        "",
        "dp090-ddl: cpu lab in eastus",
        "  exists:  resource group rg-dp090-ddl; workspace dbw-dp090-ddl; cluster dp090-ddl-cpu (2 x Standard_DS3_v2); notebooks /Users/learner@example.org/06 - Distributed Deep Learning",
        "  costs:   0.050 USD/h while it exists (36.50 USD/month), plus 1.411 USD/h while the cluster runs",
        "  destroy: LAB_NAME=dp090-ddl npm run destroy",
        "",
        "gpu-class: gpu lab in westeurope",
        "  exists:  resource group rg-gpu-class; workspace dbw-gpu-class; cluster gpu-class-cpu (3 x Standard_NC4as_T4_v3); notebooks /Users/learner@example.org/06 - Distributed Deep Learning",
        "  costs:   0.050 USD/h while it exists (36.50 USD/month), plus 3.624 USD/h while the cluster runs",
        "  destroy: LAB_NAME=gpu-class npm run destroy",
        "",
      ].join("\n"),
    );
  });

  test("a class's clusters are its students', priced with the lab's own: the current roster plays no part", async () => {
    const dir = tempDir("labs-");
    writeDeployedState(dir, { students: ["ada@example.org", "grace@example.org"] });
    const roster = join(dir, "elsewhere.csv");
    writeFileSync(roster, "email\nsomeone@example.org\n");
    const run = await labs(dir, [], { LAB_STUDENTS_FILE: roster });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain(
      "  exists:  resource group rg-dp090-ddl; workspace dbw-dp090-ddl; cluster dp090-ddl-cpu (2 x Standard_DS3_v2); notebooks /Users/learner@example.org/06 - Distributed Deep Learning; a class of 2 (2 student clusters)",
    );
    // the lab's 2 x DS3_v2 (1.411) and two single-node DS3_v2 (0.7055 each)
    expect(run.stdout).toContain("plus 2.822 USD/h while the clusters run");
    expect(run.stdout).toContain("  destroy: LAB_NAME=dp090-ddl npm run destroy -- --export-work");
  });

  test("--json gives the same as data", async () => {
    const dir = tempDir("labs-");
    writeDeployedState(dir);
    const run = await labs(dir, ["--json"]);
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({
        name: "dp090-ddl",
        location: "eastus",
        variant: "cpu",
        currency: "USD",
        fixedPerHour: 0.05,
        fixedPerMonth: 36.5,
        clusterPerHour: 1.411,
        students: 0,
        destroy: "LAB_NAME=dp090-ddl npm run destroy",
      }),
    ]);
  });

  test("a state file it cannot read is told in full with its fix, the others still listed, and the exit code is 1", async () => {
    const dir = tempDir("labs-");
    writeDeployedState(dir, { name: "team-b" });
    writeFileSync(join(dir, "terraform.null.tfstate"), "null");
    writeFileSync(join(dir, "terraform.odd.tfstate"), '{"version": 4, "resources": "x"}');
    const run = await labs(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      [
        `Not listed: The state file ${join(dir, "terraform.null.tfstate")} is not a Terraform state: it holds null, not an object.`,
        "Fix: restore it from terraform.null.tfstate.backup or your own copy; never edit it by hand.",
        "",
        `Not listed: The state file ${join(dir, "terraform.odd.tfstate")} is not a Terraform state: its "resources" is a string, not a list.`,
        "Fix: restore it from terraform.odd.tfstate.backup or your own copy; never edit it by hand.",
        "",
        "",
      ].join("\n"),
    );
    expect(run.stdout).toContain("team-b: cpu lab in eastus");
  });

  test("says so when no lab has resources", async () => {
    const dir = tempDir("labs-");
    writeDestroyedState(dir);
    const run = await labs(dir);
    expect(run.stdout).toBe(`No lab has resources in ${dir} (no terraform.<name>.tfstate lists any).\n`);
  });
});
