import { IncomingMessage, ServerResponse } from "node:http";
import { Server, createServer } from "node:https";
import { AddressInfo } from "node:net";
import type { TokenCredential } from "@azure/core-auth";
import { testCertificate } from "../emulator/tls";

export interface FakeObject {
  type: "DIRECTORY" | "NOTEBOOK" | "FILE";
  language?: string;
}

export interface FakeCluster {
  state: string;
  cluster_name?: string;
  state_message?: string;
  termination_reason?: { code: string; type?: string; parameters?: Record<string, string> };
  single_user_name?: string;
  policy_id?: string;
  /** Latest first, as `clusters/events` with order DESC answers. */
  events?: { type: string; timestamp: number }[];
}

export interface FakeWorkspaceState {
  /** Workspace objects by path; a folder's children are the paths one level below it. */
  objects?: Record<string, FakeObject>;
  clusters?: Record<string, FakeCluster>;
  /** Requests (method, path and query) answered with HTTP 500 and error_code INTERNAL_ERROR. */
  failing?: RegExp;
  /** Clusters per page of `clusters/list`. @default 2 */
  pageSize?: number;
}

export interface FakeWorkspace {
  /** `https://127.0.0.1:<port>`: the workspace URL a test's state names. */
  readonly host: string;
  readonly ca: string;
  /** `METHOD path?query` of every request, in order. */
  readonly requests: string[];
  readonly state: FakeWorkspaceState;
  close(): Promise<void>;
}

/** The token the fake accepts, as a signed-in credential returns it for Azure Databricks. */
const TOKEN = "entra-id-token-for-databricks";

export const signedInToDatabricks: TokenCredential = {
  getToken: async (scopes) => {
    expect([scopes].flat()).toEqual(["2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default"]);
    return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

/** What the fake exports for an object: the format and the path, so a test can tell which call wrote a file. */
export function exportedContent(format: string, path: string): string {
  return `${format} of ${path}`;
}

/**
 * HTTPS on 127.0.0.1 answering the few Workspace and Clusters API calls the instructor commands
 * make, with Databricks' error shape (`error_code`, `message`). Not an emulator: no more than the
 * commands' tests need.
 */
export async function startFakeWorkspace(state: FakeWorkspaceState): Promise<FakeWorkspace> {
  const { cert, key } = await testCertificate();
  const requests: string[] = [];
  const server: Server = createServer({ cert, key }, (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://127.0.0.1");
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      const send = (status: number, json: object) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      const error = (status: number, code: string, message: string) => send(status, { error_code: code, message });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return error(401, "UNAUTHENTICATED", "no valid token");
      if (state.failing?.test(`${req.method} ${url.pathname}${url.search}`))
        return error(500, "INTERNAL_ERROR", "something broke");
      const q = (name: string) => url.searchParams.get(name) ?? "";
      const input = body ? JSON.parse(body) : {};
      const objects = state.objects ?? {};
      const clusters = state.clusters ?? {};
      switch (`${req.method} ${url.pathname}`) {
        case "GET /api/2.0/workspace/list": {
          if (objects[q("path")]?.type !== "DIRECTORY")
            return error(404, "RESOURCE_DOES_NOT_EXIST", `Path (${q("path")}) doesn't exist.`);
          const children = Object.entries(objects)
            .filter(([path]) => path.startsWith(`${q("path")}/`) && !path.slice(q("path").length + 1).includes("/"))
            .map(([path, o]) => ({ path, object_type: o.type, ...(o.language ? { language: o.language } : {}) }));
          return send(200, children.length ? { objects: children } : {});
        }
        case "GET /api/2.0/workspace/export": {
          if (!objects[q("path")]) return error(404, "RESOURCE_DOES_NOT_EXIST", `Path (${q("path")}) doesn't exist.`);
          return send(200, { content: Buffer.from(exportedContent(q("format"), q("path"))).toString("base64") });
        }
        case "GET /api/2.1/clusters/get": {
          const c = clusters[q("cluster_id")];
          if (!c) return error(400, "INVALID_PARAMETER_VALUE", `Cluster ${q("cluster_id")} does not exist`);
          const { events: _events, ...details } = c;
          return send(200, { cluster_id: q("cluster_id"), ...details });
        }
        case "GET /api/2.1/clusters/list": {
          const all = Object.entries(clusters).map(([id, c]) => ({ cluster_id: id, ...c, events: undefined }));
          const size = state.pageSize ?? 2;
          const start = Number(q("page_token") || 0);
          const next = start + size < all.length ? String(start + size) : undefined;
          return send(200, { clusters: all.slice(start, start + size), ...(next ? { next_page_token: next } : {}) });
        }
        case "POST /api/2.1/clusters/events":
          return send(200, { events: (clusters[input.cluster_id]?.events ?? []).slice(0, input.limit ?? 50) });
        case "POST /api/2.1/clusters/start": {
          const c = clusters[input.cluster_id];
          if (!c) return error(400, "INVALID_PARAMETER_VALUE", `Cluster ${input.cluster_id} does not exist`);
          if (c.state !== "TERMINATED" && c.state !== "ERROR")
            return error(400, "INVALID_STATE", `Cluster ${input.cluster_id} is in unexpected state ${c.state}.`);
          c.state = "PENDING";
          return send(200, {});
        }
        case "POST /api/2.1/clusters/delete": {
          const c = clusters[input.cluster_id];
          if (!c) return error(400, "INVALID_PARAMETER_VALUE", `Cluster ${input.cluster_id} does not exist`);
          c.state = "TERMINATING";
          return send(200, {});
        }
        default:
          return error(404, "ENDPOINT_NOT_FOUND", `No API found for '${req.method} ${url.pathname}'`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `https://127.0.0.1:${port}`,
    ca: cert,
    requests,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
