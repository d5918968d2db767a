// Workspace objects (/api/2.0/workspace): folders, notebooks, DBC imports. The provider's calls:
// workspace/resource_notebook.go (import, get-status, delete, export), workspace/
// resource_directory.go (mkdirs, get-status, delete with `recursive`).
import { unzipSync } from "fflate";
import { Context, nextId } from "../context";
import { Route, dbError, ok, route } from "../http";
import { DatabricksState, WorkspaceObject } from "../state";

const WS = "^\\/api\\/2\\.0\\/workspace";
const LANGUAGES: Record<string, string> = { python: "PYTHON", scala: "SCALA", sql: "SQL", r: "R" };

const parentOf = (path: string) => path.slice(0, path.lastIndexOf("/")) || "/";
const normalise = (path: string) => (path.length > 1 ? path.replace(/\/+$/, "") : path);

export function objectBody(o: WorkspaceObject) {
  return {
    object_type: o.object_type,
    path: o.path,
    object_id: o.object_id,
    resource_id: String(o.object_id),
    created_at: o.created_at,
    modified_at: o.modified_at,
    ...(o.language ? { language: o.language } : {}),
  };
}

export function childrenOf(db: DatabricksState, path: string): WorkspaceObject[] {
  const prefix = path === "/" ? "/" : `${path}/`;
  return [...db.objects.values()].filter((o) => o.path !== path && o.path.startsWith(prefix));
}

/** Removes an object, what is under it, and their grants. */
export function removeObject(db: DatabricksState, path: string): void {
  for (const o of [db.objects.get(path)!, ...childrenOf(db, path)]) {
    db.objects.delete(o.path);
    db.acls.delete(`${o.object_type === "DIRECTORY" ? "directories" : "notebooks"}/${o.object_id}`);
  }
}

/**
 * `/Users/<name>` appears at a user's first sign-in; nobody can create it or anything in it
 * before: mkdirs answers DIRECTORY_PROTECTED "Folder Users is protected" (seen from the API in
 * github.com/amesar/mlflow-export-import/issues/24), an import RESOURCE_DOES_NOT_EXIST "Path
 * (/Users/x) doesn't exist." (github.com/databrickslabs/migrate/issues/10).
 */
function protectedHome(db: DatabricksState, path: string): string | undefined {
  const home = /^\/Users\/[^/]+/.exec(path)?.[0];
  return home && !db.objects.has(home) ? home : undefined;
}

export function workspaceRoutes(ctx: Context, db: () => DatabricksState): Route[] {
  const missing = (path: string) => dbError(404, "RESOURCE_DOES_NOT_EXIST", `Path (${path}) doesn't exist.`);
  const put = (path: string, type: WorkspaceObject["object_type"], extra: Partial<WorkspaceObject> = {}) => {
    const time = ctx.now();
    const o: WorkspaceObject = {
      object_id: nextId(db()),
      object_type: type,
      path,
      created_at: time,
      modified_at: time,
      ...extra,
    };
    db().objects.set(path, o);
    return o;
  };
  /** mkdirs -p; a file on the way is RESOURCE_ALREADY_EXISTS (API reference, workspace/mkdirs). */
  const mkdirs = (path: string) => {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const p = `/${parts.slice(0, i).join("/")}`;
      const existing = db().objects.get(p);
      if (existing && existing.object_type !== "DIRECTORY") {
        return dbError(
          400,
          "RESOURCE_ALREADY_EXISTS",
          `Cannot create directory ${path}: ${p} is a ${existing.object_type.toLowerCase()}.`,
        );
      }
      if (!existing) {
        if (protectedHome(db(), p)) return dbError(403, "DIRECTORY_PROTECTED", "Folder Users is protected");
        put(p, "DIRECTORY");
      }
    }
    return undefined;
  };

  return [
    route("GET", new RegExp(`${WS}/get-status$`), "workspace get-status", (call) => {
      const path = normalise(call.query.get("path") ?? "");
      const o = db().objects.get(path);
      return o ? ok(objectBody(o)) : missing(path);
    }),
    route("GET", new RegExp(`${WS}/list$`), "workspace list", (call) => {
      const path = normalise(call.query.get("path") ?? "/");
      const o = db().objects.get(path);
      if (!o) return missing(path);
      if (o.object_type !== "DIRECTORY") return ok({ objects: [objectBody(o)] });
      const direct = childrenOf(db(), path).filter((c) => parentOf(c.path) === path);
      return ok(direct.length ? { objects: direct.map(objectBody) } : {});
    }),
    route("POST", new RegExp(`${WS}/mkdirs$`), "workspace mkdirs", (call) => {
      const path = normalise(String(call.body?.path ?? ""));
      if (!path.startsWith("/")) return dbError(400, "INVALID_PARAMETER_VALUE", `Path (${path}) must be absolute.`);
      return mkdirs(path) ?? ok({});
    }),
    route("POST", new RegExp(`${WS}/import$`), "workspace import", (call) => {
      const { path: raw, format = "SOURCE", language, content = "", overwrite = false } = call.body ?? {};
      const path = normalise(String(raw ?? ""));
      const home = protectedHome(db(), path);
      if (home) return missing(home);
      const parent = db().objects.get(parentOf(path));
      if (!parent || parent.object_type !== "DIRECTORY") {
        // The provider creates the parent on exactly this message (isParentDoesntExistError).
        return dbError(404, "RESOURCE_DOES_NOT_EXIST", `The parent folder (${parentOf(path)}) does not exist.`);
      }
      const existing = db().objects.get(path);
      if (format === "DBC") {
        // A DBC cannot overwrite (the provider's extMap sends overwrite=false for .dbc,
        // workspace/resource_notebook.go; API reference: overwrite is not supported for DBC).
        if (overwrite) return dbError(400, "INVALID_PARAMETER_VALUE", "Overwrite is not supported for the DBC format.");
        if (existing) return dbError(400, "RESOURCE_ALREADY_EXISTS", `Path (${path}) already exists.`);
        let files: Record<string, Uint8Array>;
        try {
          files = unzipSync(Buffer.from(String(content), "base64"));
        } catch {
          return dbError(400, "INVALID_PARAMETER_VALUE", "The content is not a valid DBC archive.");
        }
        const folder = put(path, "DIRECTORY", { content: String(content) });
        for (const [name, bytes] of Object.entries(files)) {
          // Entries are <archive folder>/<sub folders>/<notebook>.<language>.
          const rest = name.split("/").slice(1);
          if (!rest.length || name.endsWith("/")) continue;
          const file = rest.pop()!;
          const ext = file.slice(file.lastIndexOf(".") + 1);
          if (!LANGUAGES[ext]) continue;
          const dir = [path, ...rest].join("/");
          if (!db().objects.has(dir)) put(dir, "DIRECTORY");
          put(`${dir}/${file.slice(0, file.lastIndexOf("."))}`, "NOTEBOOK", {
            language: LANGUAGES[ext],
            content: Buffer.from(bytes).toString("base64"),
          });
        }
        return ok({ object_id: folder.object_id });
      }
      if (existing && !overwrite) return dbError(400, "RESOURCE_ALREADY_EXISTS", `Path (${path}) already exists.`);
      if (existing?.object_type === "DIRECTORY")
        return dbError(400, "RESOURCE_ALREADY_EXISTS", `Path (${path}) is a folder.`);
      const o = put(path, format === "AUTO" && !language ? "FILE" : "NOTEBOOK", {
        language: language ?? undefined,
        content: String(content),
        ...(existing ? { object_id: existing.object_id, created_at: existing.created_at } : {}),
      });
      return ok({ object_id: o.object_id });
    }),
    route("GET", new RegExp(`${WS}/export$`), "workspace export", (call) => {
      const path = normalise(call.query.get("path") ?? "");
      const o = db().objects.get(path);
      if (!o) return missing(path);
      if (o.object_type === "DIRECTORY" && call.query.get("format") !== "DBC") {
        return dbError(400, "INVALID_PARAMETER_VALUE", "A folder can only be exported as DBC.");
      }
      return ok({ content: o.content ?? "", file_type: o.object_type === "DIRECTORY" ? "dbc" : "py" });
    }),
    route("POST", new RegExp(`${WS}/delete$`), "workspace delete", (call) => {
      const path = normalise(String(call.body?.path ?? ""));
      const o = db().objects.get(path);
      if (!o) return missing(path);
      if (path === "/" || path === "/Users" || path === "/Shared" || path === "/Repos") {
        return dbError(403, "DIRECTORY_PROTECTED", `Folder ${path.slice(1) || "/"} is protected`);
      }
      // API reference, workspace/delete: a non-empty folder without `recursive` is DIRECTORY_NOT_EMPTY.
      if (o.object_type === "DIRECTORY" && childrenOf(db(), path).length && !call.body?.recursive) {
        return dbError(400, "DIRECTORY_NOT_EMPTY", `Folder (${path}) is not empty.`);
      }
      removeObject(db(), path);
      return ok({});
    }),
  ];
}
