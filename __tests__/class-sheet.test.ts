import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeDbc, tempDir, writeTemp } from "./helpers/dbc";
import { writeDeployedState } from "./helpers/state";

const ROOT = join(__dirname, "..");
const HOST = "https://adb-1234567890123456.7.azuredatabricks.net";

function sheet(dir: string, env: Record<string, string> = {}) {
  return spawnSync("node", [join(ROOT, "scripts", "run-app.js"), "commands/class-sheet.ts"], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: dir, LAB_NOTEBOOK_FILE: writeTemp("lab.dbc", makeDbc(), dir), ...env },
  });
}

describe("npm run class-sheet", () => {
  test("writes the hand-out from the deploy's outputs: student, name, notebooks link, cluster link", () => {
    const dir = tempDir("sheet-");
    const roster = writeTemp(
      "class.csv",
      'email,name\ngrace@example.org,"Hopper, Grace"\nada@example.org,"=HYPERLINK(""https://evil.example"",""Ada"")"\n',
      dir,
    );
    writeDeployedState(dir, {
      students: ["ada@example.org", "grace@example.org"],
      outputs: {
        students: {
          "grace@example.org": {
            folder_path: "/Classroom/DP-090/grace@example.org",
            notebooks_url: `${HOST}/#workspace/Classroom/DP-090/grace@example.org/06%20-%20Distributed%20Deep%20Learning`,
            cluster_url: `${HOST}/#setting/clusters/1130-1/configuration`,
          },
          "ada@example.org": {
            folder_path: "/Classroom/DP-090/ada@example.org",
            notebooks_url: `${HOST}/#workspace/Classroom/DP-090/ada@example.org/06%20-%20Distributed%20Deep%20Learning`,
            cluster_url: `${HOST}/#setting/clusters/1130-2/configuration`,
          },
        },
      },
    });
    const run = sheet(dir, { LAB_STUDENTS_FILE: roster });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, "class-sheet.csv"), "utf8")).toBe(
      [
        "student,name,notebooks,cluster",
        `ada@example.org,"'=HYPERLINK(""https://evil.example"",""Ada"")",${HOST}/#workspace/Classroom/DP-090/ada@example.org/06%20-%20Distributed%20Deep%20Learning,${HOST}/#setting/clusters/1130-2/configuration`,
        `grace@example.org,"Hopper, Grace",${HOST}/#workspace/Classroom/DP-090/grace@example.org/06%20-%20Distributed%20Deep%20Learning,${HOST}/#setting/clusters/1130-1/configuration`,
        "",
      ].join("\r\n"),
    );
    expect(run.stdout).toContain("2 students; written to class-sheet.csv");
  });

  test("with policy compute, the cluster column says where to create it", () => {
    const dir = tempDir("sheet-");
    writeDeployedState(dir, {
      students: ["ada@example.org"],
      outputs: {
        students: {
          "ada@example.org": {
            folder_path: "/Classroom/DP-090/ada@example.org",
            notebooks_url: `${HOST}/#workspace/x`,
          },
        },
        student_policy_name: "dp090-students compute",
      },
    });
    expect(sheet(dir).status).toBe(0);
    expect(readFileSync(join(dir, "class-sheet.csv"), "utf8")).toContain(
      `ada@example.org,,${HOST}/#workspace/x,"${HOST} > Compute > Create compute, policy ""dp090-students compute"""`,
    );
  });

  test("a students output of the wrong shape is no class, not a crash", () => {
    const dir = tempDir("sheet-");
    writeDeployedState(dir, { outputs: { students: ["ada@example.org"] } });
    const run = sheet(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^Lab dp090-ddl has no deployed class \(no students output in terraform\.dp090-ddl\.tfstate\)/,
    );
  });

  test("without a deployed class: exit 1, says what to do, writes nothing", () => {
    const dir = tempDir("sheet-");
    writeDeployedState(dir);
    const run = sheet(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^Lab dp090-ddl has no deployed class \(no students output in terraform\.dp090-ddl\.tfstate\)/,
    );
    expect(existsSync(join(dir, "class-sheet.csv"))).toBe(false);
  });
});
