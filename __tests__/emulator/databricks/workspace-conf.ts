// Workspace settings (/api/2.0/workspace-conf): GET ?keys=a,b and PATCH {key: "value"}; values are
// strings whatever they mean. An unknown key is refused "Invalid keys: [...]" (the message the
// provider parses, workspace/resource_workspace_conf.go parseInvalidKeysFromError).
import { Context } from "../context";
import { Route, dbError, ok, route } from "../http";
import { DatabricksState } from "../state";

/** The keys the lab sets and their neighbours (documented in the provider's databricks_workspace_conf page). */
export const KNOWN_KEYS: Record<string, (value: string) => boolean> = {
  enableIpAccessLists: (v) => v === "" || v === "true" || v === "false",
  maxTokenLifetimeDays: (v) => v === "" || (/^\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 730),
  enableTokensConfig: (v) => v === "" || v === "true" || v === "false",
  enableDeprecatedGlobalInitScripts: (v) => v === "" || v === "true" || v === "false",
  enableResultsDownloading: (v) => v === "" || v === "true" || v === "false",
  enableExportNotebook: (v) => v === "" || v === "true" || v === "false",
  enableNotebookTableClipboard: (v) => v === "" || v === "true" || v === "false",
  enableVerboseAuditLogs: (v) => v === "" || v === "true" || v === "false",
  enableDbfsFileBrowser: (v) => v === "" || v === "true" || v === "false",
  enableWebTerminal: (v) => v === "" || v === "true" || v === "false",
  storeInteractiveNotebookResultsInCustomerAccount: (v) => v === "" || v === "true" || v === "false",
};

export function workspaceConfRoutes(_ctx: Context, db: () => DatabricksState): Route[] {
  const invalid = (keys: string[]) => dbError(400, "INVALID_PARAMETER_VALUE", `Invalid keys: ${JSON.stringify(keys)}`);
  return [
    route("GET", /^\/api\/2\.0\/workspace-conf$/, "workspace-conf get", (call) => {
      const keys = (call.query.get("keys") ?? "").split(",").filter(Boolean);
      const unknown = keys.filter((k) => !KNOWN_KEYS[k]);
      if (unknown.length) return invalid(unknown);
      return ok(Object.fromEntries(keys.map((k) => [k, db().conf[k] ?? null])));
    }),
    route("PATCH", /^\/api\/2\.0\/workspace-conf$/, "workspace-conf set", (call) => {
      const entries = Object.entries((call.body ?? {}) as Record<string, unknown>);
      const unknown = entries.map(([k]) => k).filter((k) => !KNOWN_KEYS[k]);
      if (unknown.length) return invalid(unknown);
      const refused = entries.filter(([k, v]) => typeof v !== "string" || !KNOWN_KEYS[k](v));
      if (refused.length) {
        return dbError(
          400,
          "INVALID_PARAMETER_VALUE",
          `Some values are not allowed: ${refused.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}`,
        );
      }
      for (const [k, v] of entries) {
        if (v === "") delete db().conf[k];
        else db().conf[k] = v as string;
      }
      return { status: 204 };
    }),
  ];
}
