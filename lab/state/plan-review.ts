import { UserError } from "../errors";

/**
 * The review of a saved Terraform plan (`terraform show -json <plan>`), judged on what Terraform will
 * really do, whatever state it was planned against: the last check before an unattended apply.
 */

/** Resource types whose deletion takes the whole lab with it. */
const LAB_FOUNDATIONS = ["azurerm_resource_group", "azurerm_databricks_workspace"] as const;

/** One entry of the plan's `resource_changes`, as far as the review reads it. */
interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly actionReason?: string;
  readonly replacePaths: readonly string[];
  readonly actions: readonly string[];
  readonly before: unknown;
}

/** A resource the plan deletes, or deletes and creates again (a replacement). */
export interface Deletion {
  readonly address: string;
  readonly replaced: boolean;
  /** The attributes that force the replacement, as Terraform names them (`location`). */
  readonly because: readonly string[];
}

/** A student of the class whose resources the plan deletes. */
export interface StudentDeletion {
  readonly email: string;
  readonly deletions: readonly Deletion[];
}

export interface PlanReview {
  /** The resource group or the workspace, deleted or replaced. */
  readonly foundations: readonly Deletion[];
  /** Students whose resources the plan deletes, confirmed or not, by address. */
  readonly students: readonly StudentDeletion[];
  /** Other notebook folders the plan deletes (imported again: edits in them are lost). */
  readonly notebooks: readonly Deletion[];
  readonly counts: { readonly create: number; readonly update: number; readonly delete: number };
}

/** A file that is not the JSON of a saved plan. */
export class PlanFileError extends UserError {}

/** Reads what the review needs from `terraform show -json` output. */
export function parsePlan(json: unknown, file: string): ResourceChange[] {
  const plan = json as { format_version?: unknown; resource_changes?: unknown };
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string") {
    throw new PlanFileError(
      `${file} is not a Terraform plan in JSON; nothing was applied.\nFix: write it with \`terraform show -json <saved plan> > ${file}\` after \`terraform plan -out=<saved plan>\`.`,
    );
  }
  const changes = Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  return changes.map((raw: Record<string, unknown>) => {
    const change = (raw.change ?? {}) as { actions?: unknown; before?: unknown; replace_paths?: unknown };
    return {
      address: String(raw.address),
      type: String(raw.type),
      actionReason: typeof raw.action_reason === "string" ? raw.action_reason : undefined,
      replacePaths: Array.isArray(change.replace_paths)
        ? change.replace_paths.map((path) => (Array.isArray(path) ? path.join(".") : String(path)))
        : [],
      actions: Array.isArray(change.actions) ? change.actions.map(String) : [],
      before: change.before,
    };
  });
}

/** What the plan deletes of the lab, of its class and of its notebooks. */
export function reviewPlan(changes: readonly ResourceChange[]): PlanReview {
  const deletion = (c: ResourceChange): Deletion => ({
    address: c.address,
    replaced: c.actions.includes("create"),
    because: c.replacePaths,
  });
  const deleted = changes.filter((c) => c.actions.includes("delete"));

  // The class's students are the workspace users the lab manages; the plan lists every one, changed
  // or not, with its values before the change.
  const emails = new Set<string>();
  const byId = new Map<string, string>();
  for (const c of changes) {
    const before = c.before as { id?: unknown; user_name?: unknown } | null | undefined;
    if (c.type !== "databricks_user" || typeof before?.user_name !== "string") continue;
    emails.add(before.user_name.toLowerCase());
    if (typeof before.id === "string") byId.set(before.id, before.user_name.toLowerCase());
  }
  const owner = (c: ResourceChange): string | undefined => {
    const before = c.before as { user_name?: unknown; member_id?: unknown } | null | undefined;
    if (c.type === "databricks_user" && typeof before?.user_name === "string") return before.user_name.toLowerCase();
    if (typeof before?.member_id === "string" && byId.has(before.member_id)) return byId.get(before.member_id);
    const texts = strings(c.before).map((s) => s.toLowerCase());
    return [...emails].find((email) =>
      texts.some((t) => t === email || t.endsWith(`/${email}`) || t.includes(`/${email}/`)),
    );
  };

  const byStudent = new Map<string, Deletion[]>();
  const notebooks: Deletion[] = [];
  for (const c of deleted) {
    if (!c.type.startsWith("databricks_")) continue;
    const email = owner(c);
    if (email) byStudent.set(email, [...(byStudent.get(email) ?? []), deletion(c)]);
    else if (c.type === "databricks_notebook") notebooks.push(deletion(c));
  }

  const count = (action: string) => changes.filter((c) => c.actions.includes(action)).length;
  return {
    foundations: deleted.filter((c) => (LAB_FOUNDATIONS as readonly string[]).includes(c.type)).map(deletion),
    students: [...byStudent]
      .map(([email, deletions]) => ({ email, deletions }))
      .sort((a, b) => a.email.localeCompare(b.email)),
    notebooks,
    counts: { create: count("create"), update: count("update"), delete: count("delete") },
  };
}

/** Every string in a value, at any depth. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** How many students a refusal lists by name before it counts the rest. */
export const LISTED_STUDENTS = 10;

/** A plan that deletes the lab's workspace, or students nobody confirmed: not applied. */
export class PlanRefusedError extends UserError {
  constructor(
    public readonly foundations: readonly Deletion[],
    public readonly students: readonly StudentDeletion[],
  ) {
    const lines = ["The plan deletes what a deploy must not delete unasked; nothing was applied."];
    if (foundations.length > 0) {
      lines.push("", "The lab itself:");
      for (const d of foundations) lines.push(`  ${describe(d)}`);
      lines.push(
        "Everything in the workspace (every notebook and edit, the clusters, the class) would be destroyed with it.",
        "Either go back to the deployed settings (a new LAB_LOCATION, or LAB_SKU=trial, replaces the workspace),",
        "or remove the lab first on purpose (the workflow's destroy, or npm run destroy) and deploy it again.",
      );
    }
    if (students.length > 0) {
      const shown = students.slice(0, LISTED_STUDENTS);
      lines.push(
        "",
        `${students.length === 1 ? "A student" : `${students.length} students`} whose removal nobody confirmed:`,
      );
      for (const s of shown) lines.push(`  ${s.email}: ${s.deletions.map(describe).join(", ")}`);
      if (students.length > shown.length) lines.push(`  … and ${students.length - shown.length} more`);
      lines.push(
        "Their user, their folder with their notebooks and edits, and their cluster would be deleted.",
        "Either put them back on the roster (LAB_STUDENTS_FILE; in the workflow, the students_file input or lab.settings.json),",
        "after exporting their folders if they are leaving, or confirm the removal by naming every one of them:",
        `  LAB_REMOVE_STUDENTS=${students.map((s) => s.email).join(",")}   (in the workflow: the remove_students input)`,
      );
    }
    super(lines.join("\n"));
  }
}

function describe(d: Deletion): string {
  const verb = d.replaced ? "replaced" : "deleted";
  return `${d.address} ${verb}${d.because.length > 0 ? ` (because of ${d.because.join(", ")})` : ""}`;
}

/**
 * Throws `PlanRefusedError` when the plan deletes the resource group or the workspace, or a
 * student's resources without their address in `confirmed`; returns the lines to print otherwise.
 */
export function judgePlan(review: PlanReview, confirmed: readonly string[]): string[] {
  const confirmedSet = new Set(confirmed.map((email) => email.toLowerCase()));
  const unconfirmed = review.students.filter((s) => !confirmedSet.has(s.email));
  if (review.foundations.length > 0 || unconfirmed.length > 0)
    throw new PlanRefusedError(review.foundations, unconfirmed);
  const { create, update, delete: removed } = review.counts;
  return [
    `Plan review: ${create} to create, ${update} to change, ${removed} to delete; neither the workspace nor a student's resources are deleted unasked.`,
    ...review.students.map(
      (s) => `Removing ${s.email} (confirmed in LAB_REMOVE_STUDENTS): ${s.deletions.length} resource(s).`,
    ),
    ...review.notebooks.map(
      (d) => `Warning: ${describe(d)}: the notebook folder is imported again, and edits made in it are lost.`,
    ),
  ];
}
