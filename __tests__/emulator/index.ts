// A local stand-in for Azure Resource Manager and an Azure Databricks workspace, precise enough
// for the real azurerm and databricks providers (and the project's own commands) to run against.
// One HTTPS server on 127.0.0.1; see README.md in this folder.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { Server, createServer } from "node:https";
import { AddressInfo } from "node:net";
import { Duplex } from "node:stream";
import os from "node:os";
import { join } from "node:path";
import { identityRoutes } from "./arm/identity";
import { resourceGroupRoutes } from "./arm/resource-groups";
import { subscriptionRoutes } from "./arm/subscription";
import { settleOperations, workspaceRoutes } from "./arm/workspaces";
import { Context, Faults, Latency, NO_LATENCY, newFaults } from "./context";
import { clusterRoutes, settleClusters } from "./databricks/clusters";
import { callerBlocked, ipAccessListRoutes } from "./databricks/ip-access-lists";
import { permissionRoutes } from "./databricks/permissions";
import { policyRoutes } from "./databricks/policies";
import { scimRoutes } from "./databricks/scim";
import { newDatabricks } from "./databricks/seed";
import { workspaceConfRoutes } from "./databricks/workspace-conf";
import { workspaceRoutes as objectRoutes } from "./databricks/workspace";
import { Call, Reply, Route, armError, dbError, parseBody, readBody, send } from "./http";
import { leftovers } from "./inspect";
import { DatabricksState, EmulatorState, Sku, Workspace } from "./state";
import { caBundle, testCertificate } from "./tls";

export type { DatabricksState, EmulatorState, Workspace } from "./state";
export { TEST_CLIENT_ID } from "./arm/identity";
export { POLICY_FAMILIES } from "./databricks/seed";

export interface EmulatorOptions {
  /** @default a fixed test subscription id */
  readonly subscriptionId?: string;
  /** @default a fixed test tenant id */
  readonly tenantId?: string;
  /** The personal access token the Databricks API accepts. @default "dapi-emulator-test-token" */
  readonly token?: string;
  /**
   * Who deploys: a user name (e-mail), or an application id for a service principal. They are the
   * first admin of every workspace the emulator creates. @default "instructor@example.org"
   */
  readonly deployer?: string;
  /** The public address Databricks sees Terraform call from (IP access lists). @default "203.0.113.10" */
  readonly callerAddress?: string;
  /** Per-call delays and long operations. @default none */
  readonly latency?: Partial<Latency>;
  /** Registration state per resource provider namespace. @default Microsoft.Databricks, Network, Storage, Compute, Resources registered */
  readonly providers?: Record<string, string>;
  /** VM sizes and quotas by region, for the preflight's reads. @default none */
  readonly regions?: Record<string, { skus: Sku[]; usages: Record<string, [number, number]> }>;
  /** Storage accounts in the subscription, by name (the remote-state check). @default none */
  readonly storageAccounts?: string[];
  /** Called with one line per request and per note. @default silent */
  readonly log?: (line: string) => void;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The route's name, or undefined when no route knew the call. */
  readonly route?: string;
}

export interface Emulator {
  /** `https://127.0.0.1:PORT`: Resource Manager, the login endpoint and the Databricks host. */
  readonly url: string;
  /** `127.0.0.1:PORT`, for azurerm's `metadata_host`. */
  readonly metadataHost: string;
  /** The test CA (PEM) clients must trust. */
  readonly ca: string;
  readonly token: string;
  readonly deployer: string;
  /** The public address Databricks sees Terraform call from. */
  readonly callerAddress: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly state: EmulatorState;
  readonly faults: Faults;
  /** Every request, in order. */
  readonly requests: readonly RequestRecord[];
  /** Calls no route knew (answered 501), as `METHOD path`. */
  readonly unknownCalls: readonly string[];
  /** Notes: faults that fired, rules that refused a call. */
  readonly notes: readonly string[];
  /** Writes `SSL_CERT_FILE` content (system roots plus the test CA) into `dir`; returns its path. */
  writeCaBundle(dir: string): string;
  /** The Databricks side of the one provisioned workspace, if any. */
  databricks(): DatabricksState | undefined;
  /** A resource group and a provisioned workspace, without going through Terraform (for commands' tests). */
  seedWorkspace(options?: { resourceGroup?: string; name?: string; location?: string }): Workspace;
  /** What is left: resource groups, workspaces, resources; empty when the emulator holds nothing. */
  leftovers(): string[];
  close(): Promise<void>;
}

const DEFAULT_PROVIDERS = [
  "Microsoft.Databricks",
  "Microsoft.Network",
  "Microsoft.Storage",
  "Microsoft.Compute",
  "Microsoft.Resources",
];

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { cert, key } = await testCertificate();
  const latency: Latency = { ...NO_LATENCY, ...options.latency };
  const state: EmulatorState = {
    subscriptionId: options.subscriptionId ?? "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
    tenantId: options.tenantId ?? "72f988bf-0000-4000-8000-00000000a11e",
    resourceGroups: new Map(),
    workspaces: new Map(),
    resources: new Map(),
    providers: new Map(
      Object.entries(options.providers ?? Object.fromEntries(DEFAULT_PROVIDERS.map((p) => [p, "Registered"]))),
    ),
    regions: options.regions ?? {},
    storageAccounts: options.storageAccounts ?? [],
    operations: new Map(),
    nextId: 0,
  };
  const requests: RequestRecord[] = [];
  const unknownCalls: string[] = [];
  const notes: string[] = [];
  const log = options.log ?? (() => undefined);
  let origin = "";

  const ctx: Context = {
    state,
    latency,
    token: options.token ?? "dapi-emulator-test-token",
    deployer: options.deployer ?? "instructor@example.org",
    callerAddress: options.callerAddress ?? "203.0.113.10",
    origin: () => origin,
    now: () => Date.now(),
    workspace: () =>
      [...state.workspaces.values()].find(
        (w) => w.provisioningState !== "Accepted" && w.provisioningState !== "Deleting",
      ),
    databricks: () => ctx.workspace()?.databricks,
    faults: newFaults(),
    note: (line) => {
      notes.push(line);
      log(`emulator: ${line}`);
    },
  };
  const db = () => ctx.databricks()!;
  const armRoutes: Route[] = [
    ...identityRoutes(ctx),
    ...subscriptionRoutes(ctx),
    ...resourceGroupRoutes(ctx),
    ...workspaceRoutes(ctx),
  ];
  const databricksRoutes: Route[] = [
    ...scimRoutes(ctx, db),
    ...clusterRoutes(ctx, db),
    ...permissionRoutes(ctx, db),
    ...objectRoutes(ctx, db),
    ...policyRoutes(ctx, db),
    ...workspaceConfRoutes(ctx, db),
    ...ipAccessListRoutes(ctx, db),
  ];

  /** The reply, or the handler to run once the call's delay has passed. */
  type Answer = { reply: Reply; route?: Route; delay: number } | { handle: () => Reply; route: Route; delay: number };
  function answer(req: IncomingMessage, call: Omit<Call, "params">): Answer {
    const isDatabricks = call.path.startsWith("/api/");
    const signature = `${call.method} ${call.path}`;
    const burst = ctx.faults.bursts.find((b) => b.count > 0 && b.match.test(signature));
    if (burst) {
      burst.count -= 1;
      ctx.note(`fault: ${burst.status} for ${signature}`);
      const headers = { "retry-after": String(burst.retryAfter ?? 1) };
      const reply =
        burst.status === 429
          ? isDatabricks
            ? dbError(429, "REQUEST_LIMIT_EXCEEDED", "Too many requests. Please wait a moment and try again.")
            : armError(429, "TooManyRequests", "The request is being throttled.")
          : burst.status === 503
            ? isDatabricks
              ? dbError(503, "TEMPORARILY_UNAVAILABLE", "The service is temporarily unavailable.")
              : armError(503, "ServiceUnavailable", "The service is temporarily unavailable.")
            : isDatabricks
              ? dbError(burst.status, "INTERNAL_ERROR", "Something went wrong.")
              : armError(burst.status, "InternalServerError", "Something went wrong.");
      return { reply: { ...reply, headers }, delay: 0 };
    }
    const routes = isDatabricks ? databricksRoutes : armRoutes;
    const found = routes.find((r) => r.method === call.method && r.pattern.test(call.path));
    if (!found) {
      unknownCalls.push(signature);
      ctx.note(`no handler for ${signature}`);
      const message = `The emulator does not know ${signature}: add it (with its source) to __tests__/emulator.`;
      return {
        reply: isDatabricks ? dbError(501, "NOT_IMPLEMENTED", message) : armError(501, "NotImplemented", message),
        delay: 0,
      };
    }
    const params = found.pattern.exec(call.path)!.slice(1);
    const authorization = req.headers.authorization ?? "";
    if (isDatabricks) {
      if (!ctx.databricks()) {
        return {
          reply: dbError(404, "ENDPOINT_NOT_FOUND", "No Azure Databricks workspace is provisioned at this address."),
          route: found,
          delay: 0,
        };
      }
      if (authorization !== `Bearer ${ctx.token}`) {
        return { reply: dbError(401, "UNAUTHENTICATED", "Invalid access token."), route: found, delay: 0 };
      }
      const blocked = callerBlocked(db());
      if (blocked) return { reply: blocked, route: found, delay: latency.databricks };
      settleClusters(ctx, db());
    } else if (!found.name.startsWith("arm metadata") && found.name !== "token" && !/^Bearer \S+/.test(authorization)) {
      return {
        reply: armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
        route: found,
        delay: 0,
      };
    }
    // The delay comes before the handling: a slow call's effect (a group that exists) shows only when it answers.
    const handle = () => found.handle({ ...call, params });
    const delay =
      (isDatabricks
        ? latency.databricks
        : found.name === "token" || found.name.startsWith("arm metadata")
          ? 0
          : latency.arm) +
      (found.name === "workspace import" && call.body?.format === "DBC" ? latency.dbcImport : 0) +
      (latency.routes[found.name] ?? 0);
    return { handle, route: found, delay };
  }

  const sockets = new Set<Duplex>();
  const server: Server = createServer({ cert, key }, (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const raw = req.url ?? "/";
      const q = raw.indexOf("?");
      const path = q < 0 ? raw : raw.slice(0, q);
      const query = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
      const body = parseBody(await readBody(req), req.headers["content-type"]);
      settleOperations(ctx);
      let reply: Reply;
      let routeName: string | undefined;
      try {
        const result = answer(req, { method: req.method ?? "GET", path, query, body, headers: req.headers });
        routeName = result.route?.name;
        if (result.delay > 0) await new Promise((resolve) => setTimeout(resolve, result.delay));
        if ("handle" in result) {
          settleOperations(ctx);
          reply = result.handle();
        } else reply = result.reply;
      } catch (error) {
        ctx.note(`handler failed for ${req.method} ${path}: ${(error as Error).stack}`);
        reply = dbError(500, "INTERNAL_ERROR", `emulator: ${(error as Error).message}`);
      }
      requests.push({ method: req.method ?? "GET", path, status: reply.status, route: routeName });
      log(`${req.method} ${raw} -> ${reply.status}`);
      send(res, reply);
    })();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `https://127.0.0.1:${port}`;

  return {
    url: origin,
    metadataHost: `127.0.0.1:${port}`,
    ca: cert,
    token: ctx.token,
    deployer: ctx.deployer,
    callerAddress: ctx.callerAddress,
    subscriptionId: state.subscriptionId,
    tenantId: state.tenantId,
    state,
    faults: ctx.faults,
    requests,
    unknownCalls,
    notes,
    writeCaBundle(dir) {
      const file = join(dir, "emulator-ca-bundle.pem");
      writeFileSync(file, caBundle(cert));
      return file;
    },
    databricks: () => ctx.databricks(),
    seedWorkspace({ resourceGroup = "rg-lab", name = "dbw-lab", location = "eastus" } = {}) {
      const group = `/subscriptions/${state.subscriptionId}/resourceGroups/${resourceGroup}`;
      state.resourceGroups.set(resourceGroup.toLowerCase(), { id: group, name: resourceGroup, location });
      const id = `${group}/providers/Microsoft.Databricks/workspaces/${name}`;
      const databricks = newDatabricks(ctx);
      const workspace: Workspace = {
        id,
        name,
        resourceGroup,
        location,
        sku: "premium",
        provisioningState: "Succeeded",
        properties: {
          managedResourceGroupId: `/subscriptions/${state.subscriptionId}/resourceGroups/${resourceGroup}-managed`,
          workspaceId: databricks.workspaceId,
          workspaceUrl: `adb-${databricks.workspaceId}.0.azuredatabricks.net`,
          parameters: {},
        },
        databricks,
      };
      state.workspaces.set(id.toLowerCase(), workspace);
      return workspace;
    },
    leftovers: () => leftovers(state),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A temporary folder for what a run writes (the CA bundle, Terraform's files); removed by the callback. */
export function tempFolder(prefix = "dp090-emulator-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
