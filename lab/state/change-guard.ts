import { normalizeRegion } from "../catalog/regions";
import { UserError } from "../errors";
import { LabState, StudentState } from "./local-state";

/** What the settings now ask for, of what a change could replace. */
export interface PlannedLab {
  readonly name: string;
  readonly location: string;
  readonly sku: string;
}

/** A setting whose new value would make Terraform replace the workspace. */
export interface ReplacingChange {
  readonly setting: string;
  readonly from: string;
  readonly to: string;
  /** Why it replaces, in the provider's terms. */
  readonly because: string;
}

/**
 * The changes that replace the workspace (ForceNew in azurerm 4.55: the resource group's and the
 * workspace's `location`; `sku` to `trial`, per the workspace's CustomizeDiff). `LAB_NAME` never
 * appears: another name is another stack with its own state.
 */
export function replacingChanges(state: LabState, planned: PlannedLab): ReplacingChange[] {
  const changes: ReplacingChange[] = [];
  const deployedLocation = state.workspace?.location ?? state.resourceGroup?.location;
  if (deployedLocation && normalizeRegion(deployedLocation) !== normalizeRegion(planned.location)) {
    changes.push({
      setting: "LAB_LOCATION",
      from: normalizeRegion(deployedLocation),
      to: planned.location,
      because: "a resource group and a workspace cannot move between regions",
    });
  }
  if (state.workspace && state.workspace.sku !== planned.sku && planned.sku === "trial") {
    changes.push({
      setting: "LAB_SKU",
      from: state.workspace.sku,
      to: planned.sku,
      because: "a workspace can be upgraded from trial, never moved to it",
    });
  }
  return changes;
}

/**
 * A deploy the guards refuse: what it would destroy and the ways out, as fields. The message is
 * built from them; preflight shows the problem as its detail and the ways out as its fix.
 */
export abstract class RefusedChangeError extends UserError {
  constructor(
    /** What is wrong, line by line (indented lines list what changed or who). */
    public readonly problem: readonly string[],
    /** Each way out, a sentence the user can follow. */
    public readonly waysOut: readonly string[],
  ) {
    super([...problem, "Either:", ...waysOut.map((way) => `  - ${way}`)].join("\n"));
  }
}

/** Settings that would destroy the deployed workspace and everything in it. */
export class WorkspaceReplacementError extends RefusedChangeError {
  constructor(
    public readonly changes: readonly ReplacingChange[],
    state: LabState,
  ) {
    const workspace = state.workspace?.name ?? `the workspace of lab ${state.name}`;
    const keep = changes.map((c) => `${c.setting}=${c.from}`).join(" ");
    super(
      [
        `Lab ${state.name} is deployed (state: ${state.file}), and the settings now differ in what cannot change in place; nothing was synthesized or created.`,
        ...changes.map((c) => `  ${c.setting} changed from ${c.from} to ${c.to}: ${c.because}.`),
        `A deploy would replace ${workspace}: it and everything in it (the notebooks and your edits, experiments, the cluster) would be destroyed.`,
      ],
      [
        `go back to the deployed values (${keep}), or remove the lab first: LAB_NAME=${state.name} ${keep} npm run destroy`,
        `or deploy a second, separate lab with another name: LAB_NAME=<new name> (lab ${state.name} keeps billing until you destroy it)`,
      ],
    );
  }
}

/** Throws `WorkspaceReplacementError` when the settings would replace the deployed workspace. */
export function refuseWorkspaceReplacement(state: LabState | undefined, planned: PlannedLab): void {
  if (!state) return;
  const changes = replacingChanges(state, planned);
  if (changes.length > 0) throw new WorkspaceReplacementError(changes, state);
}

/** The archive the settings now import. */
export interface PlannedArchive {
  readonly sha256: string;
  /** Undefined before synth (preflight), when only the sum is known. */
  readonly folderName?: string;
}

/**
 * Warnings for a deploy that deletes and imports the notebook folder again (another archive, or
 * another folder name): the provider re-imports a changed DBC whole, so edits in the folder are lost.
 */
export function reimportWarnings(state: LabState | undefined, archive: PlannedArchive): string[] {
  return (state?.notebooks ?? []).flatMap((notebook) => {
    const folder = notebook.path.slice(notebook.path.lastIndexOf("/") + 1);
    const changed = [
      notebook.sha256 !== undefined && notebook.sha256 !== archive.sha256 ? "another archive" : undefined,
      archive.folderName !== undefined && folder !== archive.folderName
        ? `another folder name ("${archive.folderName}")`
        : undefined,
    ].filter(Boolean);
    if (changed.length === 0) return [];
    return [
      `the next deploy deletes the notebook folder ${notebook.path} and imports ${changed.join(" under ")}: edits made in that folder are lost. Export what you want to keep first (the folder's menu > Export), or go back to the settings that chose the deployed archive${notebook.sha256 ? ` (sha256 ${notebook.sha256})` : ""}.`,
    ];
  });
}

/** The layout the settings now give each student's cluster (the variant's student shape). */
export interface PlannedStudentLayout {
  readonly singleNode: boolean;
  readonly workers: number;
}

/**
 * A warning for a deploy that replaces the students' clusters: a single node cannot become a
 * multi-node cluster or back (LAB_VARIANT changed with a class deployed), so each is deleted and
 * created again, which starts it; what ran on it (attached notebooks' state) is lost.
 */
export function layoutChangeWarnings(state: LabState | undefined, planned: PlannedStudentLayout): string[] {
  const students = new Set((state?.students ?? []).map((s) => s.email.toLowerCase()));
  const changed = (state?.clusters ?? []).filter(
    (c) => students.has(c.singleUserName.toLowerCase()) && c.singleNode !== planned.singleNode,
  );
  if (changed.length === 0) return [];
  const layout = (singleNode: boolean, workers: number) => (singleNode ? "a single node" : `${workers} workers`);
  return [
    `the next deploy replaces ${changed.length === 1 ? "a student's cluster" : `${changed.length} students' clusters`} (${changed.map((c) => c.name).join(", ")}): from ${layout(!planned.singleNode, changed[0].workers)} to ${layout(planned.singleNode, planned.workers)}, which Databricks cannot convert in place. Each is deleted and created again (and starts); detach and save running work first, or go back to the deployed LAB_VARIANT.`,
  ];
}

/** Students the state has and the roster no longer lists, whose removal nobody confirmed. */
export class StudentRemovalError extends RefusedChangeError {
  constructor(
    public readonly students: readonly StudentState[],
    state: LabState,
  ) {
    const names = students.map((s) => s.email);
    super(
      [
        `The roster of lab ${state.name} no longer lists ${students.length === 1 ? "a student" : `${students.length} students`} the lab has; nothing was synthesized or created.`,
        ...students.map((s) => `  ${s.email}${s.folder ? ` (folder ${s.folder})` : ""}`),
        "A deploy would delete their user, their folder with their notebooks and edits, and their cluster.",
        `Keep their work first: \`npm run export-work\` saves every student's folder under class-work/${state.name}/ (a .dbc that imports back, and the notebooks as source).`,
      ],
      [
        "put them back on the roster (LAB_STUDENTS_FILE),",
        `or confirm the removal by naming them: LAB_REMOVE_STUDENTS=${names.join(",")}`,
      ],
    );
  }
}

/**
 * Refuses a roster that drops students the state has, unless each is named in `confirmed`; returns
 * warnings for confirmations that name no one being removed.
 */
export function refuseStudentRemoval(
  state: LabState | undefined,
  roster: readonly { readonly email: string }[],
  confirmed: readonly string[],
): string[] {
  const listed = new Set(roster.map((s) => s.email.toLowerCase()));
  const removed = (state?.students ?? []).filter((s) => !listed.has(s.email.toLowerCase()));
  const unconfirmed = removed.filter((s) => !confirmed.includes(s.email.toLowerCase()));
  if (state && unconfirmed.length > 0) throw new StudentRemovalError(unconfirmed, state);
  const removedNames = new Set(removed.map((s) => s.email.toLowerCase()));
  return confirmed
    .filter((email) => !removedNames.has(email))
    .map((email) => `LAB_REMOVE_STUDENTS names ${email}, whom this deploy does not remove; the name is ignored.`);
}

/** What `npm run destroy` was told to do with a class's work: `--export-work` or `--discard-work`. */
export type ClassWorkChoice = "export" | "discard";

/** A destroy of a class whose work nobody chose to keep or to discard. */
export class ClassWorkError extends RefusedChangeError {
  constructor(public readonly state: LabState) {
    const students = state.students.length;
    super(
      [
        `Lab ${state.name} has a class of ${students} student${students === 1 ? "" : "s"} (state: ${state.file}); nothing was destroyed.`,
        "A destroy deletes every student's folder with their notebooks and edits, and the lab's own notebook folder.",
      ],
      [
        "keep the work first: npm run destroy -- --export-work (runs npm run export-work into class-work/, and destroys only when no folder failed),",
        "or discard it: npm run destroy -- --discard-work",
      ],
    );
  }
}

/** The choice `npm run destroy` passes on (DP090_CLASS_WORK), or none. */
export function classWorkChoice(value: string | undefined): ClassWorkChoice | undefined {
  return value === "export" || value === "discard" ? value : undefined;
}

/** Throws `ClassWorkError` for a destroy of a class without a choice about its students' work. */
export function refuseClassDestroy(state: LabState | undefined, choice: ClassWorkChoice | undefined): void {
  if (state && state.students.length > 0 && choice === undefined) throw new ClassWorkError(state);
}
