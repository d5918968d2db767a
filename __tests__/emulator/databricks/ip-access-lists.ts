// IP access lists (/api/2.0/ip-access-lists) and what they do once `enableIpAccessLists` is on:
// "Configure IP access lists for workspaces" (learn.microsoft.com/azure/databricks/security/
// network/front-end/ip-access-list-workspace) and the API reference (ip-access-lists/create):
// an address in a block list is refused; with any allow list, only addresses in one are let in;
// a create or update that would block the caller is refused with INVALID_STATE.
import { Context, nextId } from "../context";
import { Route, dbError, ok, route } from "../http";
import { DatabricksState, IpAccessList } from "../state";

const IAL = "^\\/api\\/2\\.0\\/ip-access-lists";
/** API reference: at most 1000 IP/CIDR values across all lists (QUOTA_EXCEEDED). */
const MAX_VALUES = 1000;

function toNumber(ip: string): number | undefined {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function inRange(address: string, range: string): boolean {
  const [base, bits = "32"] = range.split("/");
  const a = toNumber(address);
  const b = toNumber(base);
  if (a === undefined || b === undefined) return false;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function allowedBy(lists: IpAccessList[], address: string): boolean {
  const enabled = lists.filter((l) => l.enabled);
  if (enabled.some((l) => l.list_type === "BLOCK" && l.ip_addresses.some((r) => inRange(address, r)))) return false;
  const allows = enabled.filter((l) => l.list_type === "ALLOW");
  return !allows.length || allows.some((l) => l.ip_addresses.some((r) => inRange(address, r)));
}

/** Whether the workspace lets `address` in now (lists apply only once the feature is on). */
export function egressAllowed(db: DatabricksState, address: string): boolean {
  return db.conf.enableIpAccessLists !== "true" || allowedBy([...db.ipAccessLists.values()], address);
}

function validate(body: any): string | undefined {
  if (!body?.label) return "label is required";
  if (body.list_type !== "ALLOW" && body.list_type !== "BLOCK")
    return `list_type must be ALLOW or BLOCK, got ${body.list_type}`;
  for (const r of body.ip_addresses ?? []) {
    const [base, bits] = String(r).split("/");
    if (toNumber(base) === undefined || (bits !== undefined && !(Number(bits) >= 0 && Number(bits) <= 32))) {
      return `${r} is not an IPv4 address or CIDR range`;
    }
  }
  return undefined;
}

export function ipAccessListRoutes(ctx: Context, db: () => DatabricksState): Route[] {
  const missing = (id: string) => dbError(404, "RESOURCE_DOES_NOT_EXIST", `IP access list ${id} does not exist.`);
  /** Refuses a change that would lock the caller out, or go over the quota. */
  const check = (next: IpAccessList[]) => {
    if (next.reduce((n, l) => n + l.ip_addresses.length, 0) > MAX_VALUES) {
      return dbError(400, "QUOTA_EXCEEDED", `IP access lists hold at most ${MAX_VALUES} values.`);
    }
    if (!allowedBy(next, db().callerAddress)) {
      return dbError(
        400,
        "INVALID_STATE",
        `Your current IP ${db().callerAddress} will not be allowed to access the workspace under the current configuration.`,
      );
    }
    return undefined;
  };
  const body = (l: IpAccessList) => ({ ...l, address_count: l.ip_addresses.length });

  return [
    route("GET", new RegExp(`${IAL}$`), "ip-access-lists list", () =>
      ok({ ip_access_lists: [...db().ipAccessLists.values()].map(body) }),
    ),
    route("POST", new RegExp(`${IAL}$`), "ip-access-lists create", (call) => {
      const problem = validate(call.body);
      if (problem) return dbError(400, "INVALID_PARAMETER_VALUE", problem);
      const time = ctx.now();
      const list: IpAccessList = {
        list_id: `ial-${nextId(db())}`,
        label: call.body.label,
        list_type: call.body.list_type,
        ip_addresses: [...(call.body.ip_addresses ?? [])],
        enabled: call.body.enabled ?? true,
        created_at: time,
        created_by: 1,
        updated_at: time,
        updated_by: 1,
      };
      const refused = check([...db().ipAccessLists.values(), list]);
      if (refused) return refused;
      db().ipAccessLists.set(list.list_id, list);
      return ok({ ip_access_list: body(list) });
    }),
    route("GET", new RegExp(`${IAL}/([^/]+)$`), "ip-access-lists get", (call) => {
      const list = db().ipAccessLists.get(call.params[0]);
      return list ? ok({ ip_access_list: body(list) }) : missing(call.params[0]);
    }),
    ...["PUT", "PATCH"].map((method) =>
      route(
        method,
        new RegExp(`${IAL}/([^/]+)$`),
        `ip-access-lists ${method === "PUT" ? "replace" : "update"}`,
        (call) => {
          const list = db().ipAccessLists.get(call.params[0]);
          if (!list) return missing(call.params[0]);
          const next: IpAccessList = {
            ...list,
            ...(call.body.label !== undefined ? { label: call.body.label } : {}),
            ...(call.body.list_type !== undefined ? { list_type: call.body.list_type } : {}),
            ...(call.body.ip_addresses !== undefined ? { ip_addresses: [...call.body.ip_addresses] } : {}),
            enabled: call.body.enabled ?? (method === "PUT" ? true : list.enabled),
            updated_at: ctx.now(),
          };
          const problem = validate(next);
          if (problem) return dbError(400, "INVALID_PARAMETER_VALUE", problem);
          const refused = check([...[...db().ipAccessLists.values()].filter((l) => l.list_id !== list.list_id), next]);
          if (refused) return refused;
          db().ipAccessLists.set(list.list_id, next);
          return ok({});
        },
      ),
    ),
    route("DELETE", new RegExp(`${IAL}/([^/]+)$`), "ip-access-lists delete", (call) => {
      if (!db().ipAccessLists.delete(call.params[0])) return missing(call.params[0]);
      return ok({});
    }),
  ];
}

/** The 403 a workspace answers every call from an address its lists refuse. */
export function callerBlocked(db: DatabricksState) {
  return egressAllowed(db, db.callerAddress)
    ? undefined
    : dbError(
        403,
        "403",
        `Source IP address: ${db.callerAddress} is blocked by Databricks IP ACL for workspace: ${db.workspaceId}`,
      );
}
