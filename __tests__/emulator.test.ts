import { request } from "node:https";
import { strToU8, zipSync } from "fflate";
import { Emulator, startEmulator } from "./emulator";
import { MAX_PINNED } from "./emulator/databricks/clusters";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

let emulator: Emulator;
afterEach(async () => emulator?.close());

/** One HTTPS call to the emulator, trusting its CA; ARM calls get any bearer, Databricks the PAT. */
function call(method: string, path: string, body?: unknown, token = emulator.token): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
    const req = request(
      `${emulator.url}${path}`,
      {
        method,
        ca: emulator.ca,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": typeof body === "string" ? "application/x-www-form-urlencoded" : "application/json",
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const api = (path: string) => `/api/2.0${path}`;
const SUB = "/subscriptions/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const WS = `${SUB}/resourceGroups/rg-lab/providers/Microsoft.Databricks/workspaces/dbw-lab?api-version=2024-05-01`;

async function createWorkspace(): Promise<Answer> {
  await call("PUT", `${SUB}/resourcegroups/rg-lab?api-version=2020-06-01`, { location: "eastus" });
  const put = await call("PUT", WS, {
    location: "eastus",
    sku: { name: "premium" },
    properties: { managedResourceGroupId: `${SUB}/resourceGroups/rg-lab-managed` },
  });
  const operation = new URL(String(put.headers["azure-asyncoperation"]));
  const status = await call("GET", `${operation.pathname}${operation.search}`);
  expect(status.body.status).toBe("Succeeded");
  return put;
}

describe("Resource Manager", () => {
  test("the custom cloud's metadata and a JWT the provider can read (oid, tid, appid)", async () => {
    emulator = await startEmulator();
    const metadata = await call("GET", "/metadata/endpoints?api-version=2022-09-01");
    expect(metadata.body).toMatchObject({
      resourceManager: emulator.url,
      authentication: { tenant: "common", identityProvider: "AAD", loginEndpoint: emulator.url },
    });
    const token = await call(
      "POST",
      `/${emulator.tenantId}/oauth2/v2.0/token`,
      "client_id=app&client_secret=s&grant_type=client_credentials&scope=x%2F.default",
    );
    const parts = token.body.access_token.split(".");
    expect(parts).toHaveLength(3);
    expect(JSON.parse(Buffer.from(parts[1], "base64url").toString())).toMatchObject({
      tid: emulator.tenantId,
      appid: "app",
    });
  });

  test("a workspace is created by a long-running operation, with its managed group and NAT public IP", async () => {
    emulator = await startEmulator();
    const put = await createWorkspace();
    expect(put.status).toBe(201);
    expect(put.headers["retry-after"]).toBe("1");
    const got = await call("GET", WS);
    expect(got.body.properties).toMatchObject({
      provisioningState: "Succeeded",
      workspaceUrl: expect.stringMatching(/^adb-\d+\.\d+\.azuredatabricks\.net$/),
      parameters: { enableNoPublicIp: { value: true }, publicIpName: { value: "nat-gw-public-ip" } },
    });
    const ip = await call(
      "GET",
      `${SUB}/resourceGroups/rg-lab-managed/providers/Microsoft.Network/publicIPAddresses/nat-gw-public-ip?api-version=2024-05-01`,
    );
    expect(ip.body.properties.ipAddress).toBe(emulator.databricks()!.egressAddresses[0]);
  });

  test("the managed group is locked while its workspace exists (deny assignment)", async () => {
    emulator = await startEmulator();
    await createWorkspace();
    const refused = await call("DELETE", `${SUB}/resourceGroups/rg-lab-managed?api-version=2020-06-01`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("DenyAssignmentAuthorizationFailed");
  });

  test.each([
    [
      "without forceDeletion, the managed group (Unity Catalog data) stays",
      "",
      ["resource group rg-lab", "resource group rg-lab-managed"],
    ],
    ["with forceDeletion, it goes with the workspace", "&forceDeletion=true", ["resource group rg-lab"]],
  ])("deleting a workspace: %s", async (_, query, groups) => {
    emulator = await startEmulator();
    await createWorkspace();
    expect((await call("DELETE", `${WS}${query}`)).status).toBe(202);
    expect((await call("GET", WS)).status).toBe(404);
    expect(emulator.leftovers().filter((l) => l.startsWith("resource group"))).toEqual(groups);
  });

  test("a call nobody modelled is 501, named in unknownCalls", async () => {
    emulator = await startEmulator();
    const answer = await call("GET", `${SUB}/providers/Microsoft.Sql/servers?api-version=2023-01-01`);
    expect(answer.status).toBe(501);
    expect(emulator.unknownCalls).toEqual([`GET ${SUB}/providers/Microsoft.Sql/servers`]);
  });
});

describe("Databricks rules", () => {
  beforeEach(async () => {
    emulator = await startEmulator({ callerAddress: "198.51.100.7" });
    emulator.seedWorkspace();
  });

  test("a grant naming a principal that does not exist is refused", async () => {
    const mkdirs = await call("POST", api("/workspace/mkdirs"), { path: "/Classroom" });
    expect(mkdirs.status).toBe(200);
    const folder = await call("GET", api("/workspace/get-status?path=/Classroom"));
    const refused = await call("PUT", api(`/permissions/directories/${folder.body.object_id}`), {
      access_control_list: [{ group_name: "dp090-students", permission_level: "CAN_READ" }],
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { message: "Principal: GroupName(dp090-students) does not exist" },
    });
    await call("POST", api("/preview/scim/v2/Groups"), { displayName: "dp090-students" });
    const granted = await call("PUT", api(`/permissions/directories/${folder.body.object_id}`), {
      access_control_list: [{ group_name: "dp090-students", permission_level: "CAN_READ" }],
    });
    expect(granted.status).toBe(200);
  });

  test("a service principal is granted by service_principal_name, never as user_name", async () => {
    await emulator.close();
    const appId = "00000000-aaaa-bbbb-cccc-000000000000";
    emulator = await startEmulator({ deployer: appId });
    emulator.seedWorkspace();
    expect((await call("GET", api("/preview/scim/v2/Me"))).body.userName).toBe(appId);
    await call("POST", api("/workspace/mkdirs"), { path: "/Classroom" });
    const id = (await call("GET", api("/workspace/get-status?path=/Classroom"))).body.object_id;
    const asUser = await call("PUT", api(`/permissions/directories/${id}`), {
      access_control_list: [{ user_name: appId, permission_level: "CAN_MANAGE" }],
    });
    expect(asUser.body.message).toBe(`Principal: UserName(${appId}) does not exist`);
    const asPrincipal = await call("PUT", api(`/permissions/directories/${id}`), {
      access_control_list: [{ service_principal_name: appId, permission_level: "CAN_MANAGE" }],
    });
    expect(asPrincipal.status).toBe(200);
  });

  test("a DBC import refuses overwrite, and a path that exists", async () => {
    const content = Buffer.from(zipSync({ "Course/nb.python": strToU8("{}") })).toString("base64");
    const dbc = { path: "/Shared/Course", format: "DBC", content };
    expect((await call("POST", api("/workspace/import"), { ...dbc, overwrite: true })).body.error_code).toBe(
      "INVALID_PARAMETER_VALUE",
    );
    expect((await call("POST", api("/workspace/import"), dbc)).status).toBe(200);
    expect((await call("GET", api("/workspace/get-status?path=/Shared/Course/nb"))).body).toMatchObject({
      object_type: "NOTEBOOK",
      language: "PYTHON",
    });
    expect((await call("POST", api("/workspace/import"), dbc)).body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
  });

  test("another user's home does not exist before their first sign-in: mkdirs is DIRECTORY_PROTECTED, an import fails", async () => {
    expect((await call("POST", api("/workspace/mkdirs"), { path: "/Users/ada@example.org/lab" })).body).toEqual({
      error_code: "DIRECTORY_PROTECTED",
      message: "Folder Users is protected",
    });
    const imported = await call("POST", api("/workspace/import"), {
      path: "/Users/ada@example.org/nb",
      format: "SOURCE",
      language: "PYTHON",
      content: "",
    });
    expect(imported).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
  });

  test(`at most ${MAX_PINNED} pinned clusters`, async () => {
    const spec = { spark_version: "15.4.x-cpu-ml-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 };
    for (let i = 0; i <= MAX_PINNED; i++) {
      const { cluster_id } = (await call("POST", "/api/2.1/clusters/create", { ...spec, cluster_name: `c${i}` })).body;
      const pin = await call("POST", "/api/2.1/clusters/pin", { cluster_id });
      expect(pin.status).toBe(i < MAX_PINNED ? 200 : 400);
    }
  });

  test("clusters/list answers in pages of page_size, with next_page_token until the last", async () => {
    const spec = { spark_version: "15.4.x-cpu-ml-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 };
    for (let i = 0; i < 5; i++) await call("POST", "/api/2.1/clusters/create", { ...spec, cluster_name: `c${i}` });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await call("GET", `/api/2.1/clusters/list?page_size=2${token ? `&page_token=${token}` : ""}`);
      names.push(...page.body.clusters.map((c: { cluster_name: string }) => c.cluster_name));
      token = page.body.next_page_token;
      pages += 1;
    } while (token);
    expect({ pages, names }).toEqual({ pages: 3, names: ["c0", "c1", "c2", "c3", "c4"] });
  });

  test("an allow-list must include the caller; once on, other callers are refused", async () => {
    const outside = await call("POST", api("/ip-access-lists"), {
      label: "x",
      list_type: "ALLOW",
      ip_addresses: ["203.0.113.0/24"],
    });
    expect(outside.body.error_code).toBe("INVALID_STATE");
    const inside = await call("POST", api("/ip-access-lists"), {
      label: "x",
      list_type: "ALLOW",
      ip_addresses: ["198.51.100.7"],
    });
    expect(inside.status).toBe(200);
    await call("PATCH", api("/workspace-conf"), { enableIpAccessLists: "true" });
    emulator.databricks()!.callerAddress = "192.0.2.1";
    const blocked = await call("GET", api("/preview/scim/v2/Me"));
    expect(blocked.status).toBe(403);
    expect(blocked.body.message).toMatch(/^Source IP address: 192\.0\.2\.1 is blocked/);
  });

  test("with an allow-list on, a cluster cannot start unless the compute plane's egress address is allowed", async () => {
    await call("POST", api("/ip-access-lists"), { label: "x", list_type: "ALLOW", ip_addresses: ["198.51.100.7"] });
    await call("PATCH", api("/workspace-conf"), { enableIpAccessLists: "true" });
    const spec = { spark_version: "15.4.x-cpu-ml-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 };
    const { cluster_id } = (await call("POST", "/api/2.1/clusters/create", spec)).body;
    const got = await call("GET", `/api/2.1/clusters/get?cluster_id=${cluster_id}`);
    expect(got.body).toMatchObject({
      state: "TERMINATED",
      termination_reason: { code: "CONTROL_PLANE_REQUEST_FAILURE" },
    });
  });

  test("a policy refuses attribute paths the policy reference does not document", async () => {
    const refused = await call("POST", api("/policies/clusters/create"), {
      name: "p",
      definition: JSON.stringify({ autoscale: { type: "forbidden" }, "spark_conf.x": { type: "fixed", value: "1" } }),
    });
    expect(refused.body.message).toBe("Invalid policy definition: unknown attribute path(s) autoscale.");
    const accepted = await call("POST", api("/policies/clusters/create"), {
      name: "p",
      definition: JSON.stringify({ "autoscale.max_workers": { type: "fixed", value: 1 } }),
    });
    expect(accepted.status).toBe(200);
  });

  test("the users group carries no entitlements, and they cannot be given to it", async () => {
    const users = (await call("GET", api('/preview/scim/v2/Groups?filter=displayName eq "users"'))).body.Resources[0];
    expect(users.entitlements).toEqual([]);
    const refused = await call("PATCH", api(`/preview/scim/v2/Groups/${users.id}`), {
      Operations: [{ op: "add", path: "entitlements", value: [{ value: "workspace-access" }] }],
    });
    expect(refused.status).toBe(400);
  });
});

describe("faults", () => {
  test("a burst of 429s, then normal answers; the burst is noted", async () => {
    emulator = await startEmulator();
    emulator.seedWorkspace();
    emulator.faults.bursts.push({ match: /scim\/v2\/Me/, status: 429, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call("GET", api("/preview/scim/v2/Me"))).status);
    expect(statuses).toEqual([429, 429, 200]);
    expect(emulator.notes.filter((n) => n.startsWith("fault: 429"))).toHaveLength(2);
  });

  test("a student's cluster terminates at start for lack of quota", async () => {
    emulator = await startEmulator();
    emulator.seedWorkspace();
    emulator.faults.clusterQuota.push({ match: /ada@/, count: 1 });
    const spec = { spark_version: "15.4.x-cpu-ml-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 };
    const { cluster_id } = (
      await call("POST", "/api/2.1/clusters/create", { ...spec, single_user_name: "ada@example.org" })
    ).body;
    const got = await call("GET", `/api/2.1/clusters/get?cluster_id=${cluster_id}`);
    expect(got.body).toMatchObject({
      state: "TERMINATED",
      termination_reason: { code: "AZURE_QUOTA_EXCEEDED_EXCEPTION" },
    });
  });
});
