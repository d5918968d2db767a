import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabricksClient } from "../lab/databricks/client";
import { exportWork } from "../lab/databricks/export-work";
import { folderTargets } from "../lab/databricks/lab-targets";
import { readLabState } from "../lab/state/local-state";
import { tempDir } from "./helpers/dbc";
import { FakeWorkspace, exportedContent, signedInToDatabricks, startFakeWorkspace } from "./helpers/fake-databricks";
import { writeDeployedState } from "./helpers/state";

const LAB = "/Users/learner@example.org/06 - Distributed Deep Learning";
const folder = (email: string) => `/Classroom/DP-090/${email}`;
const NOW = new Date("2026-12-01T10:30:05.123Z");

let workspace: FakeWorkspace | undefined;
afterEach(() => workspace?.close());

function classState(students: string[]) {
  const dir = tempDir("export-");
  writeDeployedState(dir, { students });
  return { dir, state: readLabState(dir, "dp090-ddl")! };
}

/** A student folder as the deploy imports it, with an edited notebook, a notebook of their own in a subfolder, and a file. */
function studentObjects(email: string) {
  const base = folder(email);
  return {
    [base]: { type: "DIRECTORY" as const },
    [`${base}/06 - Distributed Deep Learning`]: { type: "DIRECTORY" as const },
    [`${base}/06 - Distributed Deep Learning/1.0 Distributed Deep Learning with Horovod`]: {
      type: "NOTEBOOK" as const,
      language: "PYTHON",
    },
    [`${base}/scratch`]: { type: "NOTEBOOK" as const, language: "SQL" },
    [`${base}/data.csv`]: { type: "FILE" as const },
  };
}

async function run(dir: string, state: Parameters<typeof folderTargets>[0]) {
  const client = new DatabricksClient({
    host: workspace!.host,
    credential: signedInToDatabricks,
    ca: workspace!.ca,
    maxRetries: 0,
  });
  const lines: string[] = [];
  const summary = await exportWork(client, folderTargets(state), {
    into: join(dir, "class-work", "dp090-ddl"),
    now: NOW,
    log: (l) => lines.push(l),
  });
  return { summary, lines };
}

describe("npm run export-work (exportWork against a fake workspace)", () => {
  test("exports the lab's folder and each student's: a DBC that imports back and the notebooks as source", async () => {
    const { dir, state } = classState(["ada@example.org", "grace@example.org"]);
    workspace = await startFakeWorkspace({
      objects: {
        [LAB]: { type: "DIRECTORY" },
        [`${LAB}/1.0 Distributed Deep Learning with Horovod`]: { type: "NOTEBOOK", language: "PYTHON" },
        ...studentObjects("ada@example.org"),
        ...studentObjects("grace@example.org"),
      },
    });
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
      "source/06 - Distributed Deep Learning/1.0 Distributed Deep Learning with Horovod.py",
      "source/data.csv",
      "source/scratch.sql",
    ]);
    const ada = join(out, "ada@example.org");
    expect(readFileSync(join(ada, "folder.dbc"), "utf8")).toBe(exportedContent("DBC", folder("ada@example.org")));
    expect(readFileSync(join(ada, "source", "scratch.sql"), "utf8")).toBe(
      exportedContent("SOURCE", `${folder("ada@example.org")}/scratch`),
    );
    expect(readFileSync(join(ada, "source", "data.csv"), "utf8")).toBe(
      exportedContent("AUTO", `${folder("ada@example.org")}/data.csv`),
    );
    expect(readFileSync(join(out, "learner@example.org", "folder.dbc"), "utf8")).toBe(exportedContent("DBC", LAB));
    // Atomic: only the finished folder remains, with the summary beside the people's folders.
    expect(readdirSync(join(dir, "class-work", "dp090-ddl"))).toEqual(["2026-12-01T10-30-05Z"]);
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).folders).toHaveLength(3);
  });

  test("a single learner's lab: their notebook folder only", async () => {
    const { dir, state } = classState([]);
    workspace = await startFakeWorkspace({
      objects: {
        [LAB]: { type: "DIRECTORY" },
        [`${LAB}/1.0 Distributed Deep Learning with Horovod`]: { type: "NOTEBOOK", language: "PYTHON" },
      },
    });
    const { summary } = await run(dir, state);
    expect(summary.folders).toEqual([
      {
        owner: "learner@example.org",
        role: "instructor",
        path: LAB,
        outcome: "exported",
        files: ["folder.dbc", "source/1.0 Distributed Deep Learning with Horovod.py"],
        errors: [],
      },
    ]);
  });

  test("names a student whose folder is missing and one whose folder is empty; neither is a failure", async () => {
    const { dir, state } = classState(["ada@example.org", "grace@example.org", "linus@example.org"]);
    workspace = await startFakeWorkspace({
      objects: {
        [LAB]: { type: "DIRECTORY" },
        ...studentObjects("ada@example.org"),
        [folder("grace@example.org")]: { type: "DIRECTORY" },
      },
    });
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
  });

  test("a failed call fails that folder only, says which call, and keeps what the other calls exported", async () => {
    const { dir, state } = classState(["ada@example.org", "grace@example.org"]);
    workspace = await startFakeWorkspace({
      objects: { ...studentObjects("ada@example.org"), ...studentObjects("grace@example.org") },
      failing: /export\?path=%2FClassroom%2FDP-090%2Fgrace%40example\.org%2Fscratch&/,
    });
    const { summary } = await run(dir, state);
    const grace = summary.folders.find((f) => f.owner === "grace@example.org")!;
    expect(grace.outcome).toBe("failed");
    expect(grace.errors).toEqual([`${folder("grace@example.org")}/scratch: INTERNAL_ERROR: something broke`]);
    expect(grace.files).toContain("folder.dbc");
    expect(summary.folders.find((f) => f.owner === "ada@example.org")!.outcome).toBe("exported");
  });

  test("a folder that cannot be listed is failed, not missing", async () => {
    const { dir, state } = classState(["ada@example.org"]);
    workspace = await startFakeWorkspace({ objects: studentObjects("ada@example.org"), failing: /workspace\/list/ });
    const { summary } = await run(dir, state);
    expect(summary.folders.find((f) => f.owner === "ada@example.org")).toEqual(
      expect.objectContaining({
        outcome: "failed",
        errors: [`list ${folder("ada@example.org")}: INTERNAL_ERROR: something broke`],
      }),
    );
  });
});
