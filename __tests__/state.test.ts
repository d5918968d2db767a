import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ClassWorkError,
  StudentRemovalError,
  WorkspaceReplacementError,
  refuseClassDestroy,
  refuseStudentRemoval,
  refuseWorkspaceReplacement,
  layoutChangeWarnings,
  reimportWarnings,
  replacingChanges,
} from "../lab/state/change-guard";
import { ClassroomCompute } from "../lab/catalog/classroom-compute";
import { LabVariant } from "../lab/catalog/lab-variant";
import { deployedLab, describeParts } from "../lab/state/deployed-lab";
import { StateError, findLabStates, readLabState } from "../lab/state/local-state";
import { tempDir } from "./helpers/dbc";
import { writeDeployedState, writeDestroyedState } from "./helpers/state";

const SHA = "a".repeat(64);
const FOLDER = "06 - Distributed Deep Learning";

describe("reading a lab's local state (format 4, read only)", () => {
  test("no state file: no deployed lab", () => {
    expect(readLabState(tempDir(), "dp090-ddl")).toBeUndefined();
  });

  test("reads what exists: resource group, workspace, cluster and notebook folder, with the archive's sum", () => {
    const dir = tempDir();
    const file = writeDeployedState(dir, { archiveSha256: SHA });
    const before = readFileSync(file, "utf8");
    expect(readLabState(dir, "dp090-ddl")).toEqual({
      name: "dp090-ddl",
      file,
      resourceGroup: { name: "rg-dp090-ddl", location: "eastus" },
      workspace: {
        name: "dbw-dp090-ddl",
        location: "eastus",
        sku: "premium",
        managedResourceGroupName: "rg-dp090-ddl-managed",
        workspaceUrl: "adb-1234567890123456.7.azuredatabricks.net",
      },
      clusters: [
        {
          id: "1130-083000-abcdefgh",
          name: "dp090-ddl-cpu",
          nodeType: "Standard_DS3_v2",
          workers: 1,
          runtime: "15.4.x-cpu-ml-scala2.12",
          singleUserName: "learner@example.org",
          singleNode: false,
        },
      ],
      notebooks: [
        {
          path: `/Users/learner@example.org/${FOLDER}`,
          source: `assets/notebooks_archive_9E6F4E2B/${SHA}/${SHA}.dbc`,
          sha256: SHA,
        },
      ],
      students: [],
      outputs: { workspace_url: "https://adb-1234567890123456.7.azuredatabricks.net" },
    });
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  test("a destroyed lab (its state lists no resources) is no deployed lab", () => {
    const dir = tempDir();
    writeDestroyedState(dir);
    expect(readLabState(dir, "dp090-ddl")).toBeUndefined();
  });

  test("a state file that is not JSON, or of another format version, is an error saying what to do", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "terraform.broken.tfstate"), "{ half");
    expect(() => readLabState(dir, "broken")).toThrow(StateError);
    expect(() => readLabState(dir, "broken")).toThrow(
      /is not valid JSON .*\nFix: restore it from terraform\.broken\.tfstate\.backup/,
    );
    writeFileSync(join(dir, "terraform.old.tfstate"), JSON.stringify({ version: 3, modules: [] }));
    expect(() => readLabState(dir, "old")).toThrow(/has format version 3; the lab reads version 4/);
  });

  const r = (extra: object) => ({ mode: "managed", type: "azurerm_resource_group", name: "g", ...extra });
  test.each([
    ["null", null, "it holds null, not an object"],
    ["a list", [], "it holds a list, not an object"],
    ["a string", "state", "it holds a string, not an object"],
    ["resources not a list", { version: 4, resources: {} }, 'its "resources" is an object, not a list'],
    ["resources null", { version: 4, resources: null }, undefined],
    ["a resource that is null", { version: 4, resources: [null] }, "resources[0] is null, not an object"],
    [
      "instances not a list",
      { version: 4, resources: [r({ instances: 7 })] },
      "resources[0].instances is a number, not a list",
    ],
    [
      "an instance that is null",
      { version: 4, resources: [r({ instances: [null] })] },
      "resources[0].instances[0] has no attributes object (null)",
    ],
    [
      "attributes that are a list",
      { version: 4, resources: [r({ instances: [{ attributes: [] }] })] },
      "resources[0].instances[0] has no attributes object (a list)",
    ],
    ["outputs a list", { version: 4, resources: [], outputs: [] }, 'its "outputs" is a list, not an object'],
  ])("a state file holding %s is a StateError naming the file, never a TypeError", (_, content, what) => {
    const dir = tempDir();
    const file = join(dir, "terraform.odd.tfstate");
    writeFileSync(file, JSON.stringify(content));
    if (what === undefined) {
      expect(readLabState(dir, "odd")).toBeUndefined();
      return;
    }
    let error: unknown;
    try {
      readLabState(dir, "odd");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateError);
    expect(error).toMatchObject({
      file,
      problem: `The state file ${file} is not a Terraform state: ${what}.`,
      fix: "restore it from terraform.odd.tfstate.backup or your own copy; never edit it by hand.",
    });
  });

  test("values of the wrong type inside the attributes read as absent, outputs of the wrong shape as undefined", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "terraform.odd.tfstate"),
      JSON.stringify({
        version: 4,
        resources: [r({ instances: [{ attributes: { name: 7, location: null } }] })],
        outputs: { a: 5, b: { value: "x" } },
      }),
    );
    expect(readLabState(dir, "odd")).toMatchObject({
      resourceGroup: { name: "", location: "" },
      outputs: { a: undefined, b: "x" },
    });
  });

  test("a state path that is a folder is a StateError", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "terraform.odd.tfstate"));
    expect(() => readLabState(dir, "odd")).toThrow(/cannot be read \(EISDIR\)/);
  });

  test("finds every lab with resources in the folder, by name", () => {
    const dir = tempDir();
    writeDeployedState(dir, { name: "team-b", location: "westeurope" });
    writeDeployedState(dir, { name: "dp090-ddl" });
    writeDestroyedState(dir, "gone");
    writeFileSync(join(dir, "terraform.tfstate.backup"), "{}");
    writeFileSync(join(dir, "terraform.broken.tfstate"), "{ half");
    const { labs, unreadable } = findLabStates(dir);
    expect(labs.map((s) => [s.name, s.workspace?.location])).toEqual([
      ["dp090-ddl", "eastus"],
      ["team-b", "westeurope"],
    ]);
    expect(findLabStates(dir, "team-b").labs.map((s) => s.name)).toEqual(["dp090-ddl"]);
    expect(unreadable.map((e) => e.problem)).toEqual([
      expect.stringMatching(/^The state file .*terraform\.broken\.tfstate is not valid JSON/),
    ]);
  });
});

describe("changes that would replace the workspace", () => {
  const deployed = (lab: Parameters<typeof writeDeployedState>[1] = {}) => {
    const dir = tempDir();
    writeDeployedState(dir, lab);
    return readLabState(dir, lab.name ?? "dp090-ddl")!;
  };

  test("a new region is refused: which setting, from what to what, what would be lost, the two ways out", () => {
    const state = deployed();
    const error = (() => {
      try {
        refuseWorkspaceReplacement(state, { name: "dp090-ddl", location: "westeurope", sku: "premium" });
      } catch (e) {
        return e as WorkspaceReplacementError;
      }
      throw new Error("expected a refusal");
    })();
    expect(error).toBeInstanceOf(WorkspaceReplacementError);
    expect(error.message).toBe(
      [
        `Lab dp090-ddl is deployed (state: ${state.file}), and the settings now differ in what cannot change in place; nothing was synthesized or created.`,
        "  LAB_LOCATION changed from eastus to westeurope: a resource group and a workspace cannot move between regions.",
        "A deploy would replace dbw-dp090-ddl: it and everything in it (the notebooks and your edits, experiments, the cluster) would be destroyed.",
        "Either:",
        "  - go back to the deployed values (LAB_LOCATION=eastus), or remove the lab first: LAB_NAME=dp090-ddl LAB_LOCATION=eastus npm run destroy",
        "  - or deploy a second, separate lab with another name: LAB_NAME=<new name> (lab dp090-ddl keeps billing until you destroy it)",
      ].join("\n"),
    );
  });

  test("premium to trial replaces; trial to premium is an upgrade in place", () => {
    expect(replacingChanges(deployed(), { name: "dp090-ddl", location: "eastus", sku: "trial" })).toEqual([
      {
        setting: "LAB_SKU",
        from: "premium",
        to: "trial",
        because: "a workspace can be upgraded from trial, never moved to it",
      },
    ]);
    expect(
      replacingChanges(deployed({ sku: "trial" }), { name: "dp090-ddl", location: "eastus", sku: "premium" }),
    ).toEqual([]);
  });

  test("both at once are listed together", () => {
    expect(
      replacingChanges(deployed(), { name: "dp090-ddl", location: "japaneast", sku: "trial" }).map((c) => c.setting),
    ).toEqual(["LAB_LOCATION", "LAB_SKU"]);
  });

  test("the same region and tier, or no deployed lab, pass", () => {
    expect(() =>
      refuseWorkspaceReplacement(deployed(), { name: "dp090-ddl", location: "eastus", sku: "premium" }),
    ).not.toThrow();
    expect(() =>
      refuseWorkspaceReplacement(undefined, { name: "dp090-ddl", location: "westeurope", sku: "trial" }),
    ).not.toThrow();
  });
});

describe("changes that re-import the notebook folder", () => {
  const state = () => {
    const dir = tempDir();
    writeDeployedState(dir, { archiveSha256: SHA });
    return readLabState(dir, "dp090-ddl");
  };

  test("another archive: a warning naming the folder whose edits will be replaced", () => {
    expect(reimportWarnings(state(), { sha256: "b".repeat(64), folderName: FOLDER })).toEqual([
      `the next deploy deletes the notebook folder /Users/learner@example.org/${FOLDER} and imports another archive: edits made in that folder are lost. Export what you want to keep first (the folder's menu > Export), or go back to the settings that chose the deployed archive (sha256 ${SHA}).`,
    ]);
  });

  test("another folder name (the Japanese archive's) is warned about too", () => {
    expect(
      reimportWarnings(state(), { sha256: "b".repeat(64), folderName: "JPN_06 - Distributed Deep Learning" })[0],
    ).toMatch(/imports another archive under another folder name \("JPN_06 - Distributed Deep Learning"\)/);
  });

  test("the same archive, or no deployed lab: nothing to say", () => {
    expect(reimportWarnings(state(), { sha256: SHA, folderName: FOLDER })).toEqual([]);
    expect(reimportWarnings(undefined, { sha256: SHA, folderName: FOLDER })).toEqual([]);
  });
});

describe("students dropped from the roster", () => {
  const deployedClass = () => {
    const dir = tempDir();
    writeDeployedState(dir, { students: ["ada@example.org", "grace@example.org", "alan@example.org"] });
    return readLabState(dir, "dp090-ddl")!;
  };

  test("the state lists the class's students, with their folders", () => {
    expect(deployedClass().students).toEqual([
      { email: "ada@example.org", folder: "/Classroom/DP-090/ada@example.org" },
      { email: "grace@example.org", folder: "/Classroom/DP-090/grace@example.org" },
      { email: "alan@example.org", folder: "/Classroom/DP-090/alan@example.org" },
    ]);
  });

  test("a roster without some of them is refused, naming each with their folder, until they are confirmed", () => {
    const state = deployedClass();
    const roster = [{ email: "ada@example.org" }];
    expect(() => refuseStudentRemoval(state, roster, [])).toThrow(
      [
        "The roster of lab dp090-ddl no longer lists 2 students the lab has; nothing was synthesized or created.",
        "  grace@example.org (folder /Classroom/DP-090/grace@example.org)",
        "  alan@example.org (folder /Classroom/DP-090/alan@example.org)",
        "A deploy would delete their user, their folder with their notebooks and edits, and their cluster.",
        "Keep their work first: `npm run export-work` saves every student's folder under class-work/dp090-ddl/ (a .dbc that imports back, and the notebooks as source).",
        "Either:",
        "  - put them back on the roster (LAB_STUDENTS_FILE),",
        "  - or confirm the removal by naming them: LAB_REMOVE_STUDENTS=grace@example.org,alan@example.org",
      ].join("\n"),
    );
    expect(() => refuseStudentRemoval(state, roster, ["grace@example.org"])).toThrow(
      /no longer lists a student the lab has.*\n  alan@example\.org/,
    );
    expect(refuseStudentRemoval(state, roster, ["grace@example.org", "alan@example.org"])).toEqual([]);
  });

  test("dropping the whole class (no roster) needs every student confirmed too", () => {
    expect(() => refuseStudentRemoval(deployedClass(), [], [])).toThrow(StudentRemovalError);
  });

  test("a confirmation naming someone not being removed is a warning, not a licence", () => {
    const roster = ["ada@example.org", "grace@example.org", "alan@example.org"].map((email) => ({ email }));
    expect(refuseStudentRemoval(deployedClass(), roster, ["ada@example.org"])).toEqual([
      "LAB_REMOVE_STUDENTS names ada@example.org, whom this deploy does not remove; the name is ignored.",
    ]);
  });
});

describe("LAB_VARIANT changed with a class deployed", () => {
  const deployedClass = (studentWorkers: number) => {
    const dir = tempDir();
    writeDeployedState(dir, { students: ["ada@example.org", "grace@example.org"], studentWorkers });
    return readLabState(dir, "dp090-ddl")!;
  };

  test("the state tells a single-node student cluster from a multi-node one", () => {
    expect(deployedClass(0).clusters.map((c) => [c.singleUserName, c.singleNode])).toEqual([
      ["ada@example.org", true],
      ["grace@example.org", true],
      ["learner@example.org", false],
    ]);
    expect(deployedClass(2).clusters.filter((c) => c.singleNode)).toEqual([]);
  });

  test("cpu to gpu: a warning that every student's cluster is replaced, naming them, not the instructor's", () => {
    expect(layoutChangeWarnings(deployedClass(0), LabVariant.GPU.student)).toEqual([
      "the next deploy replaces 2 students' clusters (dp090-ddl-ada@example.org, dp090-ddl-grace@example.org): from a single node to 2 workers, which Databricks cannot convert in place. Each is deleted and created again (and starts); detach and save running work first, or go back to the deployed LAB_VARIANT.",
    ]);
  });

  test("gpu to cpu is warned about too", () => {
    expect(layoutChangeWarnings(deployedClass(2), LabVariant.CPU.student)[0]).toMatch(
      /replaces 2 students' clusters .*: from 2 workers to a single node,/,
    );
  });

  test.each(LabVariant.ALL)("the same layout ($name), or no deployed lab: nothing to say", (variant) => {
    const deployed = deployedClass(variant.student.workers);
    expect(layoutChangeWarnings(deployed, variant.student)).toEqual([]);
    expect(layoutChangeWarnings(undefined, variant.student)).toEqual([]);
  });
});

describe("deployedLab tells a lab's parts apart from its state", () => {
  const read = (lab: Parameters<typeof writeDeployedState>[1]) => {
    const dir = tempDir();
    writeDeployedState(dir, lab);
    return readLabState(dir, lab?.name ?? "dp090-ddl")!;
  };

  test("a class: the lab's own cluster is the one dedicated to no student; students' clusters mean personal compute", () => {
    const lab = deployedLab(read({ students: ["ada@example.org", "grace@example.org"] }));
    expect(lab.labCluster?.singleUserName).toBe("learner@example.org");
    expect(lab.studentClusters.map((c) => c.singleUserName)).toEqual(["ada@example.org", "grace@example.org"]);
    expect(lab.classroomCompute).toBe(ClassroomCompute.PERSONAL);
    expect(lab.labNotebooks.every((n) => !n.path.startsWith("/Classroom/"))).toBe(true);
    expect(lab.location).toBe("eastus");
    expect(describeParts(lab)).toEqual(
      expect.arrayContaining([
        "a class of 2 (2 student clusters)",
        expect.stringMatching(/^cluster .* \(2 x Standard_DS3_v2\)$/),
      ]),
    );
  });

  test("students without clusters in the state mean policy compute", () => {
    const state = read({ students: ["ada@example.org"] });
    const policy = deployedLab({
      ...state,
      clusters: state.clusters.filter((c) => c.singleUserName !== "ada@example.org"),
    });
    expect(policy.studentClusters).toEqual([]);
    expect(policy.classroomCompute).toBe(ClassroomCompute.POLICY);
    expect(deployedLab(read({})).classroomCompute).toBeUndefined();
  });

  test.each([
    ["15.4.x-cpu-ml-scala2.12", LabVariant.CPU],
    ["15.4.x-gpu-ml-scala2.12", LabVariant.GPU],
  ])("the variant comes from the lab cluster's runtime key (%s)", (runtime, variant) => {
    expect(deployedLab(read({ runtime })).variant).toBe(variant);
  });

  test("no cluster, no variant", () => {
    const state = read({});
    expect(deployedLab({ ...state, clusters: [] }).variant).toBeUndefined();
  });
});

describe("a destroy of a class asks what to do with the students' work", () => {
  const deployed = (students: string[]) => {
    const dir = tempDir("state-");
    writeDeployedState(dir, { students });
    return readLabState(dir, "dp090-ddl")!;
  };

  test("without a choice it is refused, with both ways out as fields", () => {
    const state = deployed(["ada@example.org"]);
    let error: unknown;
    try {
      refuseClassDestroy(state, undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClassWorkError);
    expect((error as ClassWorkError).problem).toEqual([
      `Lab dp090-ddl has a class of 1 student (state: ${state.file}); nothing was destroyed.`,
      "A destroy deletes every student's folder with their notebooks and edits, and the lab's own notebook folder.",
    ]);
    expect((error as ClassWorkError).waysOut).toEqual([
      "keep the work first: npm run destroy -- --export-work (runs npm run export-work into class-work/, and destroys only when no folder failed),",
      "or discard it: npm run destroy -- --discard-work",
    ]);
  });

  test.each(["export", "discard"] as const)("with --%s-work it goes on", (choice) => {
    expect(() => refuseClassDestroy(deployed(["ada@example.org"]), choice)).not.toThrow();
  });

  test("a single learner's lab (no students) needs no choice", () => {
    expect(() => refuseClassDestroy(deployed([]), undefined)).not.toThrow();
  });
});
