import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { exportWork, formatExportSummary } from "../lab/databricks/export-work";
import { folderTargets } from "../lab/databricks/lab-targets";
import { LabState, readLabState } from "../lab/state/local-state";
import { tempDir } from "./helpers/dbc";
import { LabWorkspace, putFolder, startLabWorkspace } from "./helpers/lab-workspace";
import { writeDeployedState } from "./helpers/state";

const LAB = "/Users/learner@example.org/06 - Distributed Deep Learning";
const NOTEBOOK = "1.0 Distributed Deep Learning with Horovod";
const folder = (email: string) => `/Classroom/DP-090/${email}`;
const NOW = new Date("2026-12-01T10:30:05.123Z");

let ws: LabWorkspace;
beforeEach(async () => {
  ws = await startLabWorkspace();
});
afterEach(() => ws.close());

function classState(students: string[]) {
  const dir = tempDir("export-");
  writeDeployedState(dir, { students });
  return { dir, state: readLabState(dir, "dp090-ddl")! };
}

/** A student's folder after a session: the course notebook edited, one of their own, and a file. */
function studentWork(email: string) {
  return putFolder(ws.client, folder(email), {
    [`06 - Distributed Deep Learning/${NOTEBOOK}`]: {
      notebook: `# ${email}'s edits\nfrom sparkdl import HorovodRunner`,
    },
    scratch: { notebook: "SELECT 1", language: "SQL" },
    "data.csv": { file: "a,b\n1,2\n" },
  });
}

async function run(dir: string, state: LabState) {
  const lines: string[] = [];
  const summary = await exportWork(ws.client, folderTargets(state), {
    into: join(dir, "class-work", "dp090-ddl"),
    now: NOW,
    log: (l) => lines.push(l),
  });
  return { summary, lines };
}

describe("npm run export-work (exportWork against the emulated workspace)", () => {
  test("exports the lab's folder and each student's: a DBC that imports back and the notebooks as source", async () => {
    const { dir, state } = classState(["ada@example.org", "grace@example.org"]);
    await putFolder(ws.client, LAB, { [NOTEBOOK]: { notebook: "# the instructor's copy" } });
    await studentWork("ada@example.org");
    await studentWork("grace@example.org");
    const { summary } = await run(dir, state);
    const out = join(dir, "class-work", "dp090-ddl", "2026-12-01T10-30-05Z");
    expect(summary.directory).toBe(out);
    expect(summary.folders.map((f) => [f.owner, f.role, f.outcome])).toEqual([
      ["learner@example.org", "instructor", "exported"],
      ["ada@example.org", "student", "exported"],
      ["grace@example.org", "student", "exported"],
    ]);
    expect(summary.folders[1].files).toEqual([
      "folder.dbc",
      `source/06 - Distributed Deep Learning/${NOTEBOOK}.py`,
      "source/data.csv",
      "source/scratch.sql",
    ]);
    const ada = join(out, "ada@example.org");
    expect(readFileSync(join(ada, "source", "06 - Distributed Deep Learning", `${NOTEBOOK}.py`), "utf8")).toBe(
      "# ada@example.org's edits\nfrom sparkdl import HorovodRunner",
    );
    expect(readFileSync(join(ada, "source", "scratch.sql"), "utf8")).toBe("SELECT 1");
    expect(readFileSync(join(ada, "source", "data.csv"), "utf8")).toBe("a,b\n1,2\n");
    expect(existsSync(join(ada, "folder.dbc"))).toBe(true);
    expect(readFileSync(join(out, "learner@example.org", "source", `${NOTEBOOK}.py`), "utf8")).toBe(
      "# the instructor's copy",
    );
    // The folder is exported as DBC (the only format a folder exports in), each notebook as SOURCE.
    const exports = ws.emulator.requests.filter((r) => r.route === "workspace export").length;
    expect(exports).toBe(3 + 2 * 3 + 1);
    // Atomic: only the finished folder remains, with the summary beside the people's folders.
    expect(readdirSync(join(dir, "class-work", "dp090-ddl"))).toEqual(["2026-12-01T10-30-05Z"]);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).folders).toHaveLength(3);
  });

  test("a single learner's lab: their notebook folder only", async () => {
    const { dir, state } = classState([]);
    await putFolder(ws.client, LAB, { [NOTEBOOK]: { notebook: "# mine" } });
    const { summary } = await run(dir, state);
    expect(summary.folders).toEqual([
      {
        owner: "learner@example.org",
        role: "instructor",
        path: LAB,
        outcome: "exported",
        files: ["folder.dbc", `source/${NOTEBOOK}.py`],
        errors: [],
      },
    ]);
  });

  test("names a student whose folder is missing and one whose folder is empty; neither is a failure", async () => {
    const { dir, state } = classState(["ada@example.org", "grace@example.org", "linus@example.org"]);
    await putFolder(ws.client, LAB, {});
    await studentWork("ada@example.org");
    await putFolder(ws.client, folder("grace@example.org"), {});
    const { summary, lines } = await run(dir, state);
    expect(summary.folders.map((f) => [f.owner, f.outcome])).toEqual([
      ["learner@example.org", "empty"],
      ["ada@example.org", "exported"],
      ["grace@example.org", "empty"],
      ["linus@example.org", "missing"],
    ]);
    expect(lines).toContain(`MISSING  linus@example.org (student): ${folder("linus@example.org")} does not exist`);
    expect(lines).toContain(
      `EMPTY    grace@example.org (student): ${folder("grace@example.org")} has no notebook or file`,
    );
    expect(existsSync(join(summary.directory, "linus@example.org"))).toBe(false);
    expect(formatExportSummary(summary).split("\n")).toEqual([
      `Exported 1 of 4 folders to ${summary.directory}`,
      "  (per person: folder.dbc imports back through Workspace > Import; source/ holds the notebooks as text).",
      "Empty (nothing to keep): learner@example.org, grace@example.org",
      "Missing (no folder in the workspace): linus@example.org",
    ]);
  });

  test("a failed call fails that folder only, says which call, and keeps what the other calls exported", async () => {
    const { dir, state } = classState(["ada@example.org"]);
    await studentWork("ada@example.org");
    ws.emulator.faults.bursts.push({ match: /^GET \/api\/2\.0\/workspace\/export/, status: 500, count: 1 });
    const { summary } = await run(dir, state);
    const ada = summary.folders.find((f) => f.owner === "ada@example.org")!;
    expect(ada.outcome).toBe("failed");
    expect(formatExportSummary(summary)).toContain(
      "FAILED: ada@example.org; their errors are above and in summary.json. Run the export again.",
    );
    // The first export of the folder is its DBC: that one failed, the sources came through.
    expect(ada.errors).toEqual([
      `folder.dbc (DBC of ${folder("ada@example.org")}): INTERNAL_ERROR: Something went wrong.`,
    ]);
    expect(ada.files).toEqual([
      `source/06 - Distributed Deep Learning/${NOTEBOOK}.py`,
      "source/data.csv",
      "source/scratch.sql",
    ]);
  });

  test("a folder that cannot be listed is failed, not missing", async () => {
    const { dir, state } = classState(["ada@example.org"]);
    await studentWork("ada@example.org");
    ws.emulator.faults.bursts.push({ match: /^GET \/api\/2\.0\/workspace\/list/, status: 500, count: 10 });
    const { summary } = await run(dir, state);
    expect(summary.folders.find((f) => f.owner === "ada@example.org")).toEqual(
      expect.objectContaining({
        outcome: "failed",
        errors: [`list ${folder("ada@example.org")}: INTERNAL_ERROR: Something went wrong.`],
      }),
    );
  });
});
