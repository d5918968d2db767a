import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  LISTED_STUDENTS,
  PlanFileError,
  PlanRefusedError,
  judgePlan,
  parsePlan,
  reviewPlan,
} from "../lab/state/plan-review";
import { tempDir } from "./helpers/dbc";

const ROOT = join(__dirname, "..");
const INSTRUCTOR = "3f2a9c1e-0000-4000-8000-00000000abcd"; // a service principal's application id
const FOLDER = "06 - Distributed Deep Learning";

type Actions = string[];
interface Change {
  address: string;
  type: string;
  change: { actions: Actions; before: unknown; replace_paths?: string[][] };
}

const change = (address: string, actions: Actions, before: unknown, replace?: string[][]): Change => ({
  address,
  type: address.split(".")[0],
  change: { actions, before, ...(replace ? { replace_paths: replace } : {}) },
});

/** What `terraform show -json` lists for a student of the class, every resource with `actions`. */
function student(email: string, i: number, actions: Actions = ["no-op"]): Change[] {
  const id = `${email.replace(/\W/g, "_")}`;
  const folder = `/Classroom/DP-090/${email}`;
  return [
    change(`databricks_user.classroom_${id}_user`, actions, { id: `u${i}`, user_name: email }),
    change(`databricks_group_member.classroom_${id}_member`, actions, { group_id: "g1", member_id: `u${i}` }),
    change(`databricks_directory.classroom_${id}_folder`, actions, { path: folder, delete_recursive: true }),
    change(`databricks_permissions.classroom_${id}_folder-access`, actions, {
      directory_path: folder,
      access_control: [{ user_name: email, permission_level: "CAN_MANAGE" }],
    }),
    change(`databricks_notebook.classroom_${id}_notebooks`, actions, { path: `${folder}/${FOLDER}` }),
    change(`databricks_cluster.classroom_${id}_cluster`, actions, { single_user_name: email, cluster_name: `c-${i}` }),
  ];
}

/** The lab without its class: resource group, workspace, the instructor's cluster and notebooks. */
function lab(actions: { workspace?: Actions; group?: Actions; notebooks?: Actions } = {}): Change[] {
  const replace = (a?: Actions) => (a?.includes("delete") && a.includes("create") ? [["location"]] : undefined);
  return [
    change(
      "azurerm_resource_group.resource-group_B1A2",
      actions.group ?? ["no-op"],
      { location: "eastus" },
      replace(actions.group),
    ),
    change(
      "azurerm_databricks_workspace.workspace_C3D4",
      actions.workspace ?? ["no-op"],
      { location: "eastus", sku: "premium" },
      replace(actions.workspace),
    ),
    change("databricks_cluster.cluster_E5F6", ["no-op"], { single_user_name: INSTRUCTOR }),
    change("databricks_notebook.notebooks_A7B8", actions.notebooks ?? ["no-op"], {
      path: `/Users/${INSTRUCTOR}/${FOLDER}`,
    }),
    {
      address: "data.databricks_current_user.me",
      type: "databricks_current_user",
      change: { actions: ["read"], before: null },
    },
  ];
}

const plan = (...changes: Change[][]) => ({ format_version: "1.2", resource_changes: changes.flat() });
const CLASS = ["ada@example.org", "grace@example.org", "alan@example.org"];
const review = (json: unknown) => reviewPlan(parsePlan(json, "plan.json"));

function refusal(json: unknown, confirmed: string[] = []): PlanRefusedError {
  try {
    judgePlan(review(json), confirmed);
  } catch (e) {
    if (e instanceof PlanRefusedError) return e;
    throw e;
  }
  throw new Error("expected a PlanRefusedError");
}

describe("reviewing a saved plan before an unattended apply", () => {
  test("a plan that deletes nothing passes, with its counts", () => {
    const json = plan(lab(), ...CLASS.map((e, i) => student(e, i)), student("new@example.org", 9, ["create"]));
    expect(judgePlan(review(json), [])).toEqual([
      "Plan review: 6 to create, 0 to change, 0 to delete; neither the workspace nor a student's resources are deleted unasked.",
    ]);
  });

  test("a class deployed with an empty roster deletes every student: refused, naming each and the way to confirm", () => {
    const error = refusal(plan(lab(), ...CLASS.map((e, i) => student(e, i, ["delete"]))));
    expect(error.students.map((s) => s.email)).toEqual(["ada@example.org", "alan@example.org", "grace@example.org"]);
    expect(error.students[0].deletions.map((d) => d.address)).toEqual([
      "databricks_user.classroom_ada_example_org_user",
      "databricks_group_member.classroom_ada_example_org_member",
      "databricks_directory.classroom_ada_example_org_folder",
      "databricks_permissions.classroom_ada_example_org_folder-access",
      "databricks_notebook.classroom_ada_example_org_notebooks",
      "databricks_cluster.classroom_ada_example_org_cluster",
    ]);
    expect(error.foundations).toEqual([]);
    expect(error.message).toContain("3 students whose removal nobody confirmed:");
    expect(error.message).toContain(
      "  LAB_REMOVE_STUDENTS=ada@example.org,alan@example.org,grace@example.org   (in the workflow: the remove_students input)",
    );
    expect(error.message.split("\n")[0]).toBe(
      "The plan deletes what a deploy must not delete unasked; nothing was applied.",
    );
  });

  test("confirmed students may go; one left unconfirmed still stops the apply", () => {
    const json = plan(lab(), student(CLASS[0], 0, ["delete"]), student(CLASS[1], 1, ["delete"]), student(CLASS[2], 2));
    expect(refusal(json, ["ADA@example.org"]).students.map((s) => s.email)).toEqual(["grace@example.org"]);
    expect(judgePlan(review(json), ["ada@example.org", "grace@example.org"])).toEqual([
      "Plan review: 0 to create, 0 to change, 12 to delete; neither the workspace nor a student's resources are deleted unasked.",
      "Removing ada@example.org (confirmed in LAB_REMOVE_STUDENTS): 6 resource(s).",
      "Removing grace@example.org (confirmed in LAB_REMOVE_STUDENTS): 6 resource(s).",
    ]);
  });

  test("a student's folder replaced while their user stays is theirs too", () => {
    const json = plan(
      lab(),
      student(CLASS[0], 0).map((c) =>
        c.type === "databricks_directory" ? { ...c, change: { ...c.change, actions: ["delete", "create"] } } : c,
      ),
    );
    const error = refusal(json);
    expect(error.students).toEqual([
      {
        email: "ada@example.org",
        deletions: [{ address: "databricks_directory.classroom_ada_example_org_folder", replaced: true, because: [] }],
      },
    ]);
  });

  test.each([
    [
      "the workspace replaced",
      { workspace: ["delete", "create"] },
      ["azurerm_databricks_workspace.workspace_C3D4 replaced (because of location)"],
    ],
    [
      "the workspace replaced, created first",
      { workspace: ["create", "delete"] },
      ["azurerm_databricks_workspace.workspace_C3D4 replaced (because of location)"],
    ],
    ["the workspace deleted", { workspace: ["delete"] }, ["azurerm_databricks_workspace.workspace_C3D4 deleted"]],
    [
      "the resource group and the workspace replaced",
      { group: ["delete", "create"], workspace: ["delete", "create"] },
      [
        "azurerm_resource_group.resource-group_B1A2 replaced (because of location)",
        "azurerm_databricks_workspace.workspace_C3D4 replaced (because of location)",
      ],
    ],
  ])("%s: refused whatever the confirmations", (_, actions, lines) => {
    const error = refusal(plan(lab(actions)), CLASS);
    for (const line of lines) expect(error.message).toContain(`\n  ${line}\n`);
    expect(error.message).toContain("remove the lab first on purpose (the workflow's destroy, or npm run destroy)");
    expect(error.students).toEqual([]);
  });

  test("the lab and the class refused together, in one message", () => {
    const error = refusal(plan(lab({ workspace: ["delete", "create"] }), student(CLASS[0], 0, ["delete", "create"])));
    expect(error.foundations).toHaveLength(1);
    expect(error.students.map((s) => s.email)).toEqual(["ada@example.org"]);
    expect(error.message).toMatch(/The lab itself:[\s\S]*A student whose removal nobody confirmed:/);
  });

  test(`a long list names ${LISTED_STUDENTS} students and counts the rest; the confirmation names every one`, () => {
    const many = Array.from({ length: LISTED_STUDENTS + 3 }, (_, i) => `s${String(i).padStart(2, "0")}@example.org`);
    const error = refusal(plan(lab(), ...many.map((e, i) => student(e, i, ["delete"]))));
    const listed = error.message.split("\n").filter((l) => /^ {2}s\d\d@example\.org: /.test(l));
    expect(listed).toHaveLength(LISTED_STUDENTS);
    expect(error.message).toContain("  … and 3 more");
    expect(error.message).toContain(`LAB_REMOVE_STUDENTS=${many.join(",")} `);
  });

  test("the instructor's notebooks imported again only warn: edits there are lost, nothing of a student's", () => {
    expect(judgePlan(review(plan(lab({ notebooks: ["delete", "create"] }))), [])).toEqual([
      "Plan review: 1 to create, 0 to change, 1 to delete; neither the workspace nor a student's resources are deleted unasked.",
      "Warning: databricks_notebook.notebooks_A7B8 replaced: the notebook folder is imported again, and edits made in it are lost.",
    ]);
  });

  test.each([
    ["a state file", { version: 4, resources: [] }],
    ["an array", []],
    ["null", null],
  ])("%s is not a plan", (_, json) => {
    expect(() => parsePlan(json, "plan.json")).toThrow(PlanFileError);
    expect(() => parsePlan(json, "plan.json")).toThrow(
      /^plan\.json is not a Terraform plan in JSON; nothing was applied\./,
    );
  });

  test("a plan without resource changes (an empty configuration) passes", () => {
    expect(judgePlan(review({ format_version: "1.2" }), [])[0]).toMatch(
      /^Plan review: 0 to create, 0 to change, 0 to delete;/,
    );
  });
});

describe("npm run review-plan", () => {
  const run = (json: unknown, env: Record<string, string> = {}, name = "plan.json") => {
    const dir = tempDir("review-");
    if (json !== undefined) writeFileSync(join(dir, name), typeof json === "string" ? json : JSON.stringify(json));
    return spawnSync("node", [join(ROOT, "scripts", "run-app.js"), "commands/review-plan.ts", name], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: dir, ...env },
    });
  };

  test("exits 1 with the refusal, and 0 once LAB_REMOVE_STUDENTS names the students", () => {
    const json = plan(lab(), student(CLASS[0], 0, ["delete"]));
    const refused = run(json);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("LAB_REMOVE_STUDENTS=ada@example.org ");
    const confirmed = run(json, { LAB_REMOVE_STUDENTS: "ada@example.org" });
    expect(confirmed.stderr).toBe("");
    expect(confirmed.status).toBe(0);
    expect(confirmed.stdout).toContain("Removing ada@example.org (confirmed in LAB_REMOVE_STUDENTS): 6 resource(s).");
  });

  test("a file that is not JSON, or missing, is a user's error (exit 1), not a crash", () => {
    const broken = run("{ not json");
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^Could not read the plan plan\.json: .*; nothing was applied\./);
    const missing = run(undefined);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^Could not read the plan plan\.json: ENOENT/);
  });
});
