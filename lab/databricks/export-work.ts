import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { DatabricksApiError, DatabricksClient } from "./client";
import { FolderTarget, Role } from "./lab-targets";

/** What happened to one person's folder. */
export interface FolderExport {
  readonly owner: string;
  readonly role: Role;
  readonly path?: string;
  /** `exported`; `empty` (no notebook or file); `missing` (no such folder); `failed` (a call failed). */
  readonly outcome: "exported" | "empty" | "missing" | "failed";
  /** Files written under the person's folder, relative to it. */
  readonly files: readonly string[];
  /** What failed, one line each. */
  readonly errors: readonly string[];
}

export interface ExportSummary {
  /** The folder everything was written to (absent when nothing could be written). */
  readonly directory: string;
  readonly folders: readonly FolderExport[];
}

export interface ExportOptions {
  /** `class-work/<LAB_NAME>`: the export goes into a folder named by the time under it. */
  readonly into: string;
  /** When the export runs: names its folder. */
  readonly now: Date;
  /** One line per folder as it is done. @default - discarded */
  readonly log?: (line: string) => void;
  /** Folders exported at once. @default 4 */
  readonly concurrency?: number;
}

interface WorkspaceObject {
  readonly object_type?: string;
  readonly path?: string;
  readonly language?: string;
}

/** The file name ending the Workspace API gives a notebook exported as SOURCE, by language. */
const SOURCE_EXTENSIONS: Record<string, string> = { PYTHON: ".py", SCALA: ".scala", SQL: ".sql", R: ".r" };

/** The archive of a folder as the workspace imports it back (Workspace > Import). */
export const ARCHIVE_FILE = "folder.dbc";

/**
 * Exports each folder through the Workspace API: the folder as one DBC archive (imports back) and
 * each notebook as source (a person can read it), written into a temporary folder that is renamed
 * to `<into>/<time>` only at the end, so an interrupted export leaves no half-written result.
 */
export async function exportWork(
  client: DatabricksClient,
  targets: readonly FolderTarget[],
  options: ExportOptions,
): Promise<ExportSummary> {
  const stamp = options.now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  const directory = join(options.into, stamp);
  const partial = join(options.into, `.${stamp}.partial-${process.pid}`);
  mkdirSync(partial, { recursive: true });
  const folders = await inPool(targets, options.concurrency ?? 4, async (target) => {
    const result = await exportFolder(client, target, join(partial, target.owner));
    options.log?.(describeExport(result));
    return result;
  });
  if (existsSync(directory)) throw new Error(`${directory} exists already`);
  const summary = { directory, folders };
  writeFileAtomic.sync(join(partial, "summary.json"), `${JSON.stringify({ folders }, null, 2)}\n`);
  renameSync(partial, directory);
  return summary;
}

async function exportFolder(client: DatabricksClient, target: FolderTarget, to: string): Promise<FolderExport> {
  const base = { owner: target.owner, role: target.role, path: target.path };
  if (!target.path) return { ...base, outcome: "missing", files: [], errors: [] };
  const files: string[] = [];
  const errors: string[] = [];
  let objects: WorkspaceObject[];
  try {
    objects = await listRecursively(client, target.path);
  } catch (e) {
    if (e instanceof DatabricksApiError && e.errorCode === "RESOURCE_DOES_NOT_EXIST")
      return { ...base, outcome: "missing", files: [], errors: [] };
    return { ...base, outcome: "failed", files: [], errors: [`list ${target.path}: ${reason(e)}`] };
  }
  const exportable = objects.filter((o) => o.object_type === "NOTEBOOK" || o.object_type === "FILE");
  if (exportable.length === 0) return { ...base, outcome: "empty", files: [], errors: [] };

  const write = (relative: string, content: string) => {
    const file = join(to, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic.sync(file, Buffer.from(content, "base64"));
    files.push(relative);
  };
  try {
    write(ARCHIVE_FILE, await exported(client, target.path, "DBC"));
  } catch (e) {
    errors.push(`${ARCHIVE_FILE} (DBC of ${target.path}): ${reason(e)}`);
  }
  for (const object of exportable) {
    const path = object.path!;
    const relative = safeRelative(path.slice(target.path.length + 1));
    const name =
      object.object_type === "NOTEBOOK" ? `${relative}${SOURCE_EXTENSIONS[object.language ?? ""] ?? ""}` : relative;
    try {
      write(join("source", name), await exported(client, path, object.object_type === "NOTEBOOK" ? "SOURCE" : "AUTO"));
    } catch (e) {
      errors.push(`${path}: ${reason(e)}`);
    }
  }
  return { ...base, outcome: errors.length > 0 ? "failed" : "exported", files: files.sort(), errors };
}

async function listRecursively(client: DatabricksClient, path: string): Promise<WorkspaceObject[]> {
  const { objects = [] } = await client.get<{ objects?: WorkspaceObject[] }>("/api/2.0/workspace/list", { path });
  const nested = await Promise.all(
    objects.filter((o) => o.object_type === "DIRECTORY" && o.path).map((o) => listRecursively(client, o.path!)),
  );
  return [...objects, ...nested.flat()].sort((a, b) => (a.path ?? "").localeCompare(b.path ?? ""));
}

async function exported(client: DatabricksClient, path: string, format: "DBC" | "SOURCE" | "AUTO"): Promise<string> {
  const { content } = await client.get<{ content?: string }>("/api/2.0/workspace/export", { path, format });
  if (typeof content !== "string") throw new DatabricksApiError(undefined, "NO_CONTENT", "the answer has no content");
  return content;
}

/** A workspace path below the folder as a relative file path: no `..`, no characters Windows refuses. */
function safeRelative(path: string): string {
  return (
    path
      .split("/")
      .filter((part) => part !== "" && part !== "." && part !== "..")
      // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name may not hold
      .map((part) => part.replace(/[<>:"\\|?*\u0000-\u001f]/g, "_"))
      .join("/")
  );
}

function reason(e: unknown): string {
  return e instanceof DatabricksApiError ? `${e.errorCode}: ${e.detail}` : (e as Error).message;
}

/** One line for a folder's export, as the command prints it. */
export function describeExport(r: FolderExport): string {
  const who = `${r.owner} (${r.role})`;
  switch (r.outcome) {
    case "exported":
      return `exported ${who}: ${r.files.length} files`;
    case "empty":
      return `EMPTY    ${who}: ${r.path} has no notebook or file`;
    case "missing":
      return `MISSING  ${who}: ${r.path ? `${r.path} does not exist` : "the state has no folder"}`;
    case "failed":
      return `FAILED   ${who}: ${r.errors.join("; ")}`;
  }
}

/** What was exported, where, and who is empty, missing or failed, as the command ends with it. */
export function formatExportSummary(summary: ExportSummary): string {
  const names = (outcome: FolderExport["outcome"]) =>
    summary.folders.filter((f) => f.outcome === outcome).map((f) => f.owner);
  return [
    `Exported ${names("exported").length} of ${summary.folders.length} folders to ${summary.directory}`,
    `  (per person: ${ARCHIVE_FILE} imports back through Workspace > Import; source/ holds the notebooks as text).`,
    ...(names("empty").length ? [`Empty (nothing to keep): ${names("empty").join(", ")}`] : []),
    ...(names("missing").length ? [`Missing (no folder in the workspace): ${names("missing").join(", ")}`] : []),
    ...(names("failed").length
      ? [`FAILED: ${names("failed").join(", ")}; their errors are above and in summary.json. Run the export again.`]
      : []),
  ].join("\n");
}

/** Runs `work` over `items`, at most `limit` at once, results in the items' order. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
