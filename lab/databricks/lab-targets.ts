import { LabState } from "../state/local-state";

/** Whose a folder or cluster is: a student of the class, or whoever deployed the lab. */
export type Role = "student" | "instructor";

/** A workspace folder someone's work lives in. */
export interface FolderTarget {
  /** The student's address, or the deploying user's (from their home path), else "lab". */
  readonly owner: string;
  readonly role: Role;
  /** Undefined when the state has no folder for a student (an apply that stopped half-way). */
  readonly path?: string;
}

/** The folders a destroy deletes: each student's, and the lab's own notebook folder. */
export function folderTargets(state: LabState): FolderTarget[] {
  const studentFolders = state.students.map((s) => s.folder).filter((f): f is string => f !== undefined);
  const own = state.notebooks
    .filter((n) => !studentFolders.some((folder) => n.path.startsWith(`${folder}/`)))
    .map((n) => ({
      owner: /^\/Users\/([^/]+)\//.exec(n.path)?.[1] ?? "lab",
      role: "instructor" as const,
      path: n.path,
    }));
  const students = [...state.students]
    .sort((a, b) => a.email.localeCompare(b.email))
    .map((s) => ({ owner: s.email, role: "student" as const, path: s.folder }));
  return [...own, ...students];
}

/** A cluster of the lab, as the state lists it. */
export interface ClusterTarget {
  readonly id: string;
  readonly name: string;
  /** The user it is dedicated to. */
  readonly owner: string;
  readonly role: Role;
}

/** The lab's own cluster first, then each student's by address. */
export function clusterTargets(state: LabState): ClusterTarget[] {
  const students = new Set(state.students.map((s) => s.email.toLowerCase()));
  const targets = state.clusters.map((c) => ({
    id: c.id,
    name: c.name,
    owner: c.singleUserName,
    role: students.has(c.singleUserName.toLowerCase()) ? ("student" as const) : ("instructor" as const),
  }));
  return targets.sort((a, b) =>
    a.role === b.role ? a.owner.localeCompare(b.owner) : a.role === "instructor" ? -1 : 1,
  );
}
