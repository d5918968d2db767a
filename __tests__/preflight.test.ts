import { spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ClientSecretCredential, CredentialUnavailableError } from "@azure/identity";
import { MAX_LISTED } from "../lab/errors";
import { loadSettings } from "../lab/settings";
import { usagesBesideLab } from "../lab/azure/checks/own-usage";
import { readLabState } from "../lab/state/local-state";
import { UNREACHABLE_CODES, answers, unreachableCode } from "../lab/azure/entra";
import { CheckResult, PreflightOptions, blocksDeploy, formatReport, runPreflight } from "../lab/azure/preflight";
import { tempDir, writeTemp } from "./helpers/dbc";
import { writeDeployedState } from "./helpers/state";
import { FakeArm, FakeArmState, fakeCredential, startFakeArm } from "./helpers/fake-arm";
import { TestServer, closedPort, startServer } from "./helpers/http-server";

const SUBSCRIPTION = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

/** A Terraform stand-in that reports a version, as `terraform version -json` does. */
function fakeTerraform(version: string): string {
  const file = writeTemp(
    "terraform",
    `#!/bin/sh\necho '{"terraform_version":"${version}","platform":"linux_amd64"}'\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

const TERRAFORM = fakeTerraform("1.11.4");

function eastus(overrides: Partial<FakeArmState["regions"][string]> = {}): FakeArmState["regions"][string] {
  return {
    skus: [
      { name: "Standard_DS3_v2", family: "standardDSv2Family", vcpus: 4 },
      { name: "Standard_DS4_v2", family: "standardDSv2Family", vcpus: 8 },
      { name: "Standard_D4ds_v5", family: "standardDDSv5Family", vcpus: 4 },
      { name: "Standard_NC4as_T4_v3", family: "Standard NCASv3_T4 Family", vcpus: 4, gpus: 1 },
      // not a size the lab knows (nor a Databricks node type): never suggested
      { name: "Standard_A1_v2", family: "standardAv2Family", vcpus: 1 },
    ],
    usages: {
      cores: [10, 100],
      standardDSv2Family: [0, 10],
      standardDDSv5Family: [0, 20],
      standardAv2Family: [0, 100],
      "Standard NCASv3_T4 Family": [0, 0],
    },
    ...overrides,
  };
}

/** Stands in for Entra ID's sign-in host: any answer means it was reached. */
let entra: TestServer;
beforeAll(async () => {
  entra = await startServer({});
});
afterAll(() => entra.close());

let arm: FakeArm | undefined;
afterEach(async () => {
  await arm?.close();
  arm = undefined;
});

async function preflight(
  state: FakeArmState,
  env: Record<string, string> = {},
  options: Partial<PreflightOptions> = {},
) {
  await arm?.close();
  arm = await startFakeArm(state);
  const results = await runPreflight({
    env: { TERRAFORM_BINARY_NAME: TERRAFORM, ARM_SUBSCRIPTION_ID: SUBSCRIPTION, ...env },
    cwd: tempDir("preflight-"),
    nodeVersion: "v20.20.2",
    credential: fakeCredential,
    armEndpoint: arm.endpoint,
    authorityHost: entra.url,
    ca: arm.ca,
    maxRetries: 0,
    cliSubscription: () => undefined,
    alternativeRegions: ["westeurope", "westus2"],
    ...options,
  });
  return { results, byCheck: (check: string) => results.find((r) => r.check === check) as CheckResult };
}

describe("preflight against a fake Azure Resource Manager", () => {
  test("enough quota: every check passes and nothing blocks the deploy", async () => {
    const { results } = await preflight({ providerState: "Registered", regions: { eastus: eastus() } });
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ["Node.js", "pass"],
      ["Terraform CLI", "pass"],
      ["Lab settings", "pass"],
      ["Deployed lab", "pass"],
      ["Azure login", "pass"],
      ["Subscription", "pass"],
      ["Resource provider", "pass"],
      ["VM size in region", "pass"],
      ["vCPU quota", "pass"],
    ]);
    expect(results.find((r) => r.check === "vCPU quota")!.detail).toBe(
      "standardDSv2Family vCPUs: needed 8, limit 10, used 0, free 10\nTotal Regional vCPUs: needed 8, limit 100, used 10, free 90",
    );
    expect(blocksDeploy(results)).toBe(false);
    expect(formatReport(results)).toMatch(/Nothing blocks a deploy\. Run `npx cdktf deploy`\.$/);
    expect(arm!.requests).toEqual(
      expect.arrayContaining([
        `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Databricks`,
        `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute/skus`,
        `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute/locations/eastus/usages`,
      ]),
    );
  });

  test("not enough quota: fails with needed, limit and used, and names sizes and regions that fit", async () => {
    const { results, byCheck } = await preflight({
      providerState: "Registered",
      regions: {
        eastus: eastus({
          usages: {
            cores: [10, 100],
            standardDSv2Family: [4, 10],
            standardDDSv5Family: [0, 20],
            standardAv2Family: [0, 100],
          },
        }),
        westeurope: eastus(),
        westus2: eastus({ usages: { cores: [0, 100], standardDSv2Family: [10, 10] } }),
      },
    });
    expect(byCheck("vCPU quota")).toEqual({
      check: "vCPU quota",
      status: "fail",
      detail:
        "2 nodes x 4 vCPUs do not fit.\nstandardDSv2Family vCPUs: needed 8, limit 10, used 4, free 6\nTotal Regional vCPUs: needed 8, limit 100, used 10, free 90",
      fix: "request more quota (Azure portal > Quotas > Compute, standardDSv2Family in eastus);\nor sizes in eastus that fit: Standard_D4ds_v5;\nor regions where Standard_DS3_v2 fits: westeurope.",
    });
    expect(blocksDeploy(results)).toBe(true);
  });

  test("a GPU lab without GPU quota fails on the NCasT4_v3 family", async () => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { LAB_VARIANT: "gpu" },
    );
    expect(byCheck("vCPU quota").status).toBe("fail");
    expect(byCheck("vCPU quota").detail).toContain(
      "Standard NCASv3_T4 Family vCPUs: needed 12, limit 0, used 0, free 0",
    );
  });

  test("provider not registered: a warning with the command that registers it", async () => {
    const { results, byCheck } = await preflight({ providerState: "NotRegistered", regions: { eastus: eastus() } });
    expect(byCheck("Resource provider")).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/^Microsoft\.Databricks is NotRegistered\./),
      fix: "az provider register --namespace Microsoft.Databricks --wait",
    });
    expect(blocksDeploy(results)).toBe(false);
  });

  test("VM size not offered in the region: fails and names sizes with enough free quota (DS4_v2 needs 16, 10 are free)", async () => {
    const { results, byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { LAB_NODE_TYPE: "Standard_E8s_v3" },
    );
    expect(byCheck("VM size in region")).toEqual({
      check: "VM size in region",
      status: "fail",
      detail: "Standard_E8s_v3 is not offered in eastus.",
      fix: "pick another region (LAB_LOCATION) or size (LAB_NODE_TYPE); sizes here with free quota: Standard_D4ds_v5, Standard_DS3_v2.",
    });
    expect(byCheck("vCPU quota").status).toBe("skip");
    expect(blocksDeploy(results)).toBe(true);
  });

  test("a size restricted for the subscription fails with the reason", async () => {
    const region = eastus();
    region.skus[0].restricted = true;
    const { byCheck } = await preflight({ providerState: "Registered", regions: { eastus: region } });
    expect(byCheck("VM size in region").detail).toBe(
      "Standard_DS3_v2 is restricted in eastus for this subscription (NotAvailableForSubscription).",
    );
  });

  test("auth missing: fails, says how to sign in, and skips the Azure checks without calling Azure", async () => {
    const noLogin = {
      getToken: async () => Promise.reject(new CredentialUnavailableError("Please run 'az login' to set up account.")),
    };
    const { results, byCheck } = await preflight(
      { providerState: "Registered", regions: {} },
      {},
      { credential: noLogin },
    );
    expect(byCheck("Azure login")).toEqual({
      check: "Azure login",
      status: "fail",
      detail: "no usable Azure login (Azure CLI session): Please run 'az login' to set up account.",
      fix: "run `az login`, or export ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID of a service principal.",
    });
    expect(results.filter((r) => r.status === "skip").map((r) => r.check)).toEqual([
      "Resource provider",
      "VM size in region",
      "vCPU quota",
    ]);
    expect(arm!.requests).toEqual([]);
  });

  test("a login that fails for the network says so, instead of sending the user to az login", async () => {
    const offline = {
      getToken: async () =>
        Promise.reject(
          new Error(
            "ERROR: HTTPSConnectionPool(host='login.microsoftonline.com', port=443): Max retries exceeded with url",
          ),
        ),
    };
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: {} },
      {},
      { credential: offline, authorityHost: `https://127.0.0.1:${await closedPort()}` },
    );
    expect(byCheck("Azure login")).toEqual({
      check: "Azure login",
      status: "fail",
      detail:
        "Microsoft Entra ID could not be reached (Azure CLI session), so whether the login works is unknown: ERROR: HTTPSConnectionPool(host='login.microsoftonline.com', port=443): Max retries exceeded with url",
      fix: expect.stringMatching(/^check the network connection and any proxy .* signing in again will not help\.$/),
    });
  });

  const UNREACHABLE = "Microsoft Entra ID could not be reached";

  test.each(Object.keys(UNREACHABLE_CODES))(
    "an error whose code is %s is blamed on the network, although the sign-in host answers",
    async (code) => {
      // MSAL sets `errorCode`; Node and the pipeline set `code`, often on a wrapped cause.
      const error =
        code === code.toLowerCase()
          ? Object.assign(new Error("token request failed"), { errorCode: code })
          : new Error("token request failed", { cause: Object.assign(new Error("socket"), { code }) });
      const asked = entra.hits.length;
      const { byCheck } = await preflight(
        { providerState: "Registered", regions: {} },
        {},
        { credential: { getToken: () => Promise.reject(error) } },
      );
      expect(byCheck("Azure login").detail).toBe(
        `${UNREACHABLE} (Azure CLI session), so whether the login works is unknown: token request failed`,
      );
      // The code decides: the sign-in host is not asked.
      expect(entra.hits.length).toBe(asked);
    },
  );

  test("the real service-principal sign-in against a host that refuses connections is blamed on the network", async () => {
    const host = `https://127.0.0.1:${await closedPort()}`;
    const credential = new ClientSecretCredential("00000000-0000-0000-0000-000000000001", "client", "secret", {
      authorityHost: host,
      disableInstanceDiscovery: true,
      retryOptions: { maxRetries: 0 },
    });
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: {} },
      { ARM_CLIENT_ID: "client", ARM_CLIENT_SECRET: "secret", ARM_TENANT_ID: "t" },
      { credential, authorityHost: host },
    );
    expect(byCheck("Azure login")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(new RegExp(`^${UNREACHABLE} \\(service principal from ARM_\\* variables\\)`)),
    });
  });

  test("without the Azure CLI on PATH nothing was sent: the login is blamed, not the network", async () => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: {} },
      { PATH: tempDir("no-az-") },
      { credential: undefined, authorityHost: `https://127.0.0.1:${await closedPort()}` },
    );
    expect(byCheck("Azure login")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/^no usable Azure login \(Azure CLI session\): /),
      fix: "run `az login`, or export ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID of a service principal.",
    });
  });

  test("a sign-in host that answers nothing within the timeout counts as unreachable", async () => {
    expect(await answers(`https://127.0.0.1:${await closedPort()}`)).toBe(false);
    expect(await answers(entra.url)).toBe(true);
    expect(unreachableCode(new Error("AADSTS7000215: Invalid client secret provided."))).toBeUndefined();
  });

  test("server error: the checks that could not be read are warnings, with the HTTP status", async () => {
    const { byCheck } = await preflight({
      providerState: "Registered",
      regions: { eastus: eastus() },
      failing: /usages$/,
    });
    expect(byCheck("Resource provider").status).toBe("pass");
    expect(byCheck("vCPU quota")).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/^could not be read: HTTP 500/),
    });
  });

  test("the subscription in lab.settings.json is the one checked, as it is the one Terraform deploys into", async () => {
    arm = await startFakeArm({ providerState: "Registered", regions: { eastus: eastus() } });
    const cwd = tempDir("preflight-");
    const other = "11111111-2222-3333-4444-555555555555";
    writeFileSync(join(cwd, "lab.settings.json"), JSON.stringify({ LAB_SUBSCRIPTION_ID: other }));
    const results = await runPreflight({
      env: { TERRAFORM_BINARY_NAME: TERRAFORM, ARM_SUBSCRIPTION_ID: SUBSCRIPTION },
      cwd,
      credential: fakeCredential,
      armEndpoint: arm.endpoint,
      ca: arm.ca,
      maxRetries: 0,
      cliSubscription: () => undefined,
    });
    expect(results.find((r) => r.check === "Subscription")).toMatchObject({
      status: "pass",
      detail: `${other} (from LAB_SUBSCRIPTION_ID)`,
    });
    expect(arm.requests.every((p) => p.startsWith(`/subscriptions/${other}/`))).toBe(true);
  });

  test("a service principal as the deploying identity is a warning: no person could use the lab", async () => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      {
        ARM_CLIENT_ID: "00000000-aaaa-bbbb-cccc-000000000000",
        ARM_CLIENT_SECRET: "not-used-by-the-fake",
        ARM_TENANT_ID: "t",
      },
    );
    expect(byCheck("Lab user")).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(
        /^the deploying identity is the service principal 00000000-aaaa-bbbb-cccc-000000000000: the cluster is dedicated to it/,
      ),
    });
    expect(byCheck("Azure login").detail).toBe("signed in (service principal from ARM_* variables)");
  });

  const jwt = (claims: object) => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: "https://management.azure.com/", ...claims })}.c2ln`;
  };
  const withToken = (token: string) => ({
    credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
  });
  const APP = "11111111-aaaa-bbbb-cccc-000000000000";
  const PERSON = jwt({ idtyp: "user", scp: "user_impersonation", upn: "ada@example.org", appid: "04b07795" });

  test.each([
    ["OIDC in a GitHub job (no secret)", { ARM_CLIENT_ID: APP, ARM_TENANT_ID: "t", ARM_USE_OIDC: "true" }],
    ["GitHub's token request variables", { ARM_CLIENT_ID: APP, ACTIONS_ID_TOKEN_REQUEST_URL: "https://gh.example" }],
    ["an OIDC token file", { ARM_CLIENT_ID: APP, ARM_OIDC_TOKEN_FILE_PATH: "/tmp/token" }],
    ["a client certificate", { ARM_CLIENT_ID: APP, ARM_CLIENT_CERTIFICATE_PATH: "/tmp/cert.pfx" }],
  ])("%s: the service-principal warning names ARM_CLIENT_ID", async (_how, env) => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      env,
      withToken(PERSON),
    );
    expect(byCheck("Lab user")).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(new RegExp(`^the deploying identity is the service principal ${APP}:`)),
    });
  });

  test.each([
    ["idtyp app", jwt({ idtyp: "app", appid: APP }), true],
    ["no scp (older tokens without idtyp)", jwt({ appid: APP, roles: [] }), true],
    ["a person's token", PERSON, false],
    ["no JWT at all", "opaque", false],
  ])("no ARM_* variables, the Azure CLI signed in with %s", async (_how, token, warns) => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      {},
      withToken(token),
    );
    expect(byCheck("Lab user")?.detail).toBe(
      warns
        ? `the deploying identity is the service principal ${APP}: the cluster is dedicated to it and the notebooks land in its home, so no person can use them.`
        : undefined,
    );
  });

  test("ARM_CLIENT_ID alone signs nobody in: no warning", async () => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { ARM_CLIENT_ID: APP },
      withToken(PERSON),
    );
    expect(byCheck("Lab user")).toBeUndefined();
  });

  test("the Azure CLI's subscription alone is not enough for azurerm 4.x", async () => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { ARM_SUBSCRIPTION_ID: "" },
      { cliSubscription: () => SUBSCRIPTION },
    );
    expect(byCheck("Subscription")).toEqual({
      check: "Subscription",
      status: "fail",
      detail: `${SUBSCRIPTION} is the Azure CLI's current subscription, but the azurerm provider 4.x does not read it.`,
      fix: "export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
    });
    expect(byCheck("vCPU quota").status).toBe("pass");
  });
});

describe("a lab already deployed from this folder", () => {
  test("settings that would replace its workspace fail the check, with the ways out as the fix", async () => {
    const cwd = tempDir("preflight-");
    writeDeployedState(cwd);
    const { results, byCheck } = await preflight(
      { providerState: "Registered", regions: { westeurope: eastus() } },
      { LAB_LOCATION: "westeurope" },
      { cwd },
    );
    expect(byCheck("Deployed lab")).toEqual({
      check: "Deployed lab",
      status: "fail",
      detail: expect.stringMatching(
        /^Lab dp090-ddl is deployed .*\n  LAB_LOCATION changed from eastus to westeurope: .*\nA deploy would replace dbw-dp090-ddl/,
      ),
      fix: "- go back to the deployed values (LAB_LOCATION=eastus), or remove the lab first: LAB_NAME=dp090-ddl LAB_LOCATION=eastus npm run destroy\n- or deploy a second, separate lab with another name: LAB_NAME=<new name> (lab dp090-ddl keeps billing until you destroy it)",
    });
    expect(blocksDeploy(results)).toBe(true);
  });

  test("another archive is a warning naming the folder; the same lab again passes", async () => {
    const cwd = tempDir("preflight-");
    writeDeployedState(cwd, { archiveSha256: "c".repeat(64) });
    const { byCheck } = await preflight({ providerState: "Registered", regions: { eastus: eastus() } }, {}, { cwd });
    expect(byCheck("Deployed lab")).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(
        /^the next deploy deletes the notebook folder \/Users\/learner@example\.org\/06 - /,
      ),
    });

    const same = tempDir("preflight-");
    writeDeployedState(same, { archiveSha256: "e7d0735b4e1b8fcf83dd6272b2c8f1ea06a3a19ac1977478b1fdd8baa1eae0f5" });
    const again = await preflight({ providerState: "Registered", regions: { eastus: eastus() } }, {}, { cwd: same });
    expect(again.byCheck("Deployed lab")).toEqual({
      check: "Deployed lab",
      status: "pass",
      detail: "dp090-ddl is deployed in eastus; the settings change nothing that replaces it.",
    });
  });
});

describe("with LAB_ALLOWED_IP_RANGES, the deploying machine's own address", () => {
  /** An Azure CLI login whose access token says where it signed in from (the `ipaddr` claim). */
  const signedInFrom = (ipaddr?: string) => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const token = `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: "https://management.azure.com/", ...(ipaddr ? { ipaddr } : {}) })}.c2ln`;
    return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  };
  const state = { providerState: "Registered", regions: { eastus: eastus() } };

  test("inside the ranges: passes, naming the range", async () => {
    const { byCheck } = await preflight(
      state,
      { LAB_ALLOWED_IP_RANGES: "52.160.0.0/24,20.50.0.0/24" },
      { credential: signedInFrom("20.50.0.9") },
    );
    expect(byCheck("Your address")).toEqual({
      check: "Your address",
      status: "pass",
      detail:
        "20.50.0.9 (from the Azure login) is in LAB_ALLOWED_IP_RANGES (20.50.0.0/24); the deploy adds the workspace's own NAT gateway address, which its clusters need.",
    });
  });

  test("outside them: fails, because the deploy would lock Terraform itself out", async () => {
    const { results, byCheck } = await preflight(
      state,
      { LAB_ALLOWED_IP_RANGES: "52.160.0.0/24" },
      { credential: signedInFrom("20.50.0.9") },
    );
    expect(byCheck("Your address")).toEqual({
      check: "Your address",
      status: "fail",
      detail:
        "20.50.0.9, where this machine signs in from, is not in LAB_ALLOWED_IP_RANGES (52.160.0.0/24): the deploy would lock Terraform itself out of the workspace, and the destroy after it.",
      fix: "add 20.50.0.9 (or its /24) to LAB_ALLOWED_IP_RANGES.",
    });
    expect(blocksDeploy(results)).toBe(true);
  });

  test("a token without the claim: a warning that says how to find the address", async () => {
    const { byCheck } = await preflight(
      state,
      { LAB_ALLOWED_IP_RANGES: "52.160.0.0/24" },
      { credential: signedInFrom() },
    );
    expect(byCheck("Your address")).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/carries no IPv4 address \(ipaddr claim\)/),
      fix: "find this machine's public address (curl -s https://api.ipify.org) and make sure LAB_ALLOWED_IP_RANGES contains it.",
    });
  });

  test("without an allow-list there is nothing to check", async () => {
    const { results } = await preflight(state, {}, { credential: signedInFrom("20.50.0.9") });
    expect(results.map((r) => r.check)).not.toContain("Your address");
  });
});

describe("a class deployed by someone on its roster", () => {
  const signedInAs = (claims: Record<string, string>) => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const token = `${part({ alg: "RS256", typ: "JWT" })}.${part({ aud: "https://management.azure.com/", ...claims })}.c2ln`;
    return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  };
  const state = { providerState: "Registered", regions: { eastus: eastus() } };
  const roster = () => writeTemp("class.csv", ["email", "ada@example.org", "Teacher@Example.org"].join("\n"));

  test.each([
    ["a person (upn)", { upn: "teacher@example.org" }],
    ["a person (unique_name)", { unique_name: "TEACHER@example.org" }],
    ["a service principal (appid)", { appid: "Ada@example.org" }],
  ])("%s: refused before anything is created, naming the address", async (_, claims) => {
    const { results, byCheck } = await preflight(
      state,
      { LAB_STUDENTS_FILE: roster() },
      { credential: signedInAs(claims) },
    );
    const who = "appid" in claims ? "ada@example.org" : "teacher@example.org";
    expect(byCheck("Roster and you")).toEqual({
      check: "Roster and you",
      status: "fail",
      detail: `the roster lists ${who}, the identity this deploy signs in as: the class would take over its user and delete it with the class.`,
      fix: `remove ${who} from the roster (the instructor keeps their own lab), or deploy as another identity.`,
    });
    expect(blocksDeploy(results)).toBe(true);
  });

  test("someone else: passes; without a class there is nothing to check", async () => {
    const other = await preflight(
      state,
      { LAB_STUDENTS_FILE: roster() },
      { credential: signedInAs({ upn: "me@example.org" }) },
    );
    expect(other.byCheck("Roster and you")).toMatchObject({ status: "pass" });
    const none = await preflight(state, {}, { credential: signedInAs({ upn: "ada@example.org" }) });
    expect(none.results.map((r) => r.check)).not.toContain("Roster and you");
  });
});

describe("a class", () => {
  const roster = (n: number) =>
    writeTemp("class.csv", ["email", ...Array.from({ length: n }, (_, i) => `s${i}@example.org`)].join("\n"));

  test("the quota covers the whole class, and when short says how many students fit and the other ways out", async () => {
    const region = eastus({ usages: { cores: [0, 100], standardDSv2Family: [0, 40], standardDDSv5Family: [0, 0] } });
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: region } },
      { LAB_STUDENTS_FILE: roster(20) },
    );
    expect(byCheck("vCPU quota")).toEqual({
      check: "vCPU quota",
      status: "fail",
      detail:
        "22 nodes (yours 2, 20 students x 1) x 4 vCPUs do not fit.\nstandardDSv2Family vCPUs: needed 88, limit 40, used 0, free 40\nTotal Regional vCPUs: needed 88, limit 100, used 0, free 100",
      fix: [
        "request more quota (Azure portal > Quotas > Compute, standardDSv2Family in eastus);",
        "or split the class: the free quota takes 8 student(s) beside your cluster (4 vCPUs each), so run labs of at most 8 students with their own LAB_NAME;",
        "or LAB_CLASSROOM_COMPUTE=policy: no student cluster starts at deploy, and quota is used only by students whose clusters run.",
      ].join("\n"),
    });
  });

  test("a class that fits passes with the class's total", async () => {
    const region = eastus({ usages: { cores: [0, 100], standardDSv2Family: [0, 40] } });
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: region } },
      { LAB_STUDENTS_FILE: roster(5) },
    );
    expect(byCheck("vCPU quota")).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(/^standardDSv2Family vCPUs: needed 28,/),
    });
  });

  test("the deployed lab's own running clusters are not counted against its quota twice", async () => {
    const cwd = tempDir("preflight-");
    // 2 nodes x 4 vCPUs for the lab's cluster, 1 x 4 for each of the two students': 16 running.
    writeDeployedState(cwd, { students: ["s0@example.org", "s1@example.org"] });
    const region = eastus({ usages: { cores: [16, 20], standardDSv2Family: [16, 20] } });
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: region } },
      { LAB_STUDENTS_FILE: roster(2) },
      { cwd },
    );
    expect(byCheck("vCPU quota")).toEqual({
      check: "vCPU quota",
      status: "pass",
      detail: [
        'standardDSv2Family vCPUs: needed 16, limit 20, used 16 (up to 16 by this lab\'s own clusters, which "needed" counts: left out), free 20',
        'Total Regional vCPUs: needed 16, limit 20, used 16 (up to 16 by this lab\'s own clusters, which "needed" counts: left out), free 20',
      ].join("\n"),
    });
  });

  test("what others use still counts: the lab's own clusters are left out, nothing more", async () => {
    const cwd = tempDir("preflight-");
    writeDeployedState(cwd);
    // The lab's 8 vCPUs run, and 6 more of someone else's: 4 free for the lab's 8.
    const region = eastus({ usages: { cores: [14, 100], standardDSv2Family: [14, 10] } });
    const { byCheck } = await preflight({ providerState: "Registered", regions: { eastus: region } }, {}, { cwd });
    expect(byCheck("vCPU quota")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining(
        'standardDSv2Family vCPUs: needed 8, limit 10, used 14 (up to 8 by this lab\'s own clusters, which "needed" counts: left out), free 4',
      ),
    });
  });

  test("students dropped from the roster of a deployed class fail the deployed-lab check", async () => {
    const cwd = tempDir("preflight-");
    writeDeployedState(cwd, { students: ["s0@example.org", "gone@example.org"] });
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { LAB_STUDENTS_FILE: roster(1) },
      { cwd },
    );
    expect(byCheck("Deployed lab")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("  gone@example.org (folder /Classroom/DP-090/gone@example.org)"),
      fix: expect.stringContaining("LAB_REMOVE_STUDENTS=gone@example.org"),
    });
  });
});

describe("local checks", () => {
  test.each([
    [{ LAB_VARIANT: "gpu", LAB_WORKERS: "1" }, /give 1 GPU task slot\(s\)/],
    [{ LAB_RUNTIME: "16.4.x-cpu-ml-scala2.12" }, /newer than 15\.4 LTS ML/],
  ])("settings synth warns about (%j) are a warning here too, in synth's words", async (env, words) => {
    const { byCheck } = await preflight({ providerState: "Registered", regions: { eastus: eastus() } }, env);
    const { warnings } = loadSettings(env, { cwd: tempDir("preflight-"), pricing: true });
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(words)]);
    expect(byCheck("Lab settings")).toMatchObject({
      status: "warn",
      detail: expect.stringContaining(`\n${warnings[0].setting} ${warnings[0].message}`),
      fix: expect.stringMatching(/synth gives/),
    });
  });

  test("an old Node.js, an old Terraform and bad settings each fail with a fix", async () => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { TERRAFORM_BINARY_NAME: fakeTerraform("1.3.9"), LAB_SKU: "standard" },
      { nodeVersion: "v18.19.0" },
    );
    expect(byCheck("Node.js")).toMatchObject({
      status: "fail",
      detail: "v18.19.0 is older than 20.9.0: cdktf cannot run.",
      fix: "install Node.js 24 LTS (or 22 LTS).",
    });
    expect(byCheck("Terraform CLI")).toMatchObject({ status: "fail", detail: "1.3.9 is older than 1.4.0." });
    expect(byCheck("Lab settings")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/^LAB_SKU=standard: standard is retired/),
      fix: expect.stringMatching(/^set LAB_SKU=premium/),
    });
    expect(byCheck("VM size in region").status).toBe("skip");
  });

  test(`a roster of bad lines is listed up to ${MAX_LISTED} problems, the rest counted, each fix once`, async () => {
    const roster = writeTemp("class.csv", ["email", ...Array.from({ length: 500 }, (_, i) => `bad${i}`)].join("\n"));
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { LAB_STUDENTS_FILE: roster },
    );
    const { detail, fix } = byCheck("Lab settings");
    expect(detail.split("\n")).toHaveLength(MAX_LISTED + 1);
    expect(detail).toMatch(new RegExp(`\\n${500 - MAX_LISTED} more problems, not listed\\.$`));
    expect(fix?.split("\n")).toHaveLength(1);
  });

  test.each(["v20.20.2", "v22.20.0", "v24.19.0"])("Node.js %s, on a tested line, passes", async (nodeVersion) => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      {},
      { nodeVersion },
    );
    expect(byCheck("Node.js")).toMatchObject({
      status: "pass",
      detail: `${nodeVersion} (tested: 20.9, 22.11 or 24.11 (or later in the same line))`,
    });
  });

  test.each(["v23.11.0", "v26.1.0", "v22.10.0"])(
    "Node.js %s, on no tested line, warns and names them",
    async (nodeVersion) => {
      const { byCheck, results } = await preflight(
        { providerState: "Registered", regions: { eastus: eastus() } },
        {},
        { nodeVersion },
      );
      expect(byCheck("Node.js")).toMatchObject({
        status: "warn",
        detail: `${nodeVersion} is not a tested Node.js line (tested: 20.9, 22.11 or 24.11 (or later in the same line)).`,
        fix: "install Node.js 24 LTS (or 22 LTS).",
      });
      expect(blocksDeploy(results)).toBe(false);
    },
  );

  test("a missing Terraform binary fails and says where to get one", async () => {
    const { byCheck } = await preflight(
      { providerState: "Registered", regions: { eastus: eastus() } },
      { TERRAFORM_BINARY_NAME: join(tempDir(), "no-terraform") },
    );
    expect(byCheck("Terraform CLI")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/no-terraform" could not be run \(spawnSync .* ENOENT\)\./),
      fix: expect.stringContaining("set TERRAFORM_BINARY_NAME"),
    });
  });
});

describe("npm run preflight", () => {
  test("on a machine without Azure credentials exits non-zero with a table that says what to do", async () => {
    const prices = `http://127.0.0.1:${await closedPort()}/prices`;
    const run = spawnSync("node", [join(__dirname, "..", "scripts", "run-app.js"), "commands/preflight.ts"], {
      cwd: tempDir("preflight-cli-"),
      encoding: "utf8",
      // node only: no az, no terraform, no ARM_* variables; prices from a closed local port
      env: { PATH: dirname(process.execPath), HOME: tempDir(), LAB_PRICES_API_URL: prices },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^PASS  Node\.js /m);
    expect(run.stdout).toMatch(/^FAIL  Terraform CLI .*\n\s+Fix: install Terraform 1\.4\.0 or later/m);
    expect(run.stdout).toMatch(/^FAIL  Azure login .*\n\s+Fix: run `az login`/m);
    expect(run.stdout).toMatch(/^SKIP  vCPU quota /m);
    expect(run.stdout).toMatch(
      /^INFO  Cost estimate +about 1\.46 USD\/h while the cluster runs, 7\.30 USD for a 3 h session \(snapshot prices; npm run cost for details\)$/m,
    );
    expect(run.stdout).toMatch(/check\(s\) failed: fix them before `cdktf deploy`\.$/m);
  });
});

describe("usagesBesideLab", () => {
  const sizes = [{ name: "Standard_DS3_v2", family: "standardDSv2Family", vcpus: 4, gpus: 0 }];
  const usages = [
    { name: "cores", displayName: "Total Regional vCPUs", current: 6, limit: 100 },
    { name: "standardDSv2Family", displayName: "DSv2", current: 6, limit: 10 },
    { name: "standardNCASv3_T4Family", displayName: "T4", current: 3, limit: 10 },
  ];
  const state = () => {
    const dir = tempDir("own-");
    writeDeployedState(dir);
    return readLabState(dir, "dp090-ddl")!;
  };

  test("takes the lab's clusters out of their family and the total, never below zero", () => {
    expect(usagesBesideLab(usages, sizes, "East US", state()).map((u) => [u.name, u.current, u.ownVcpus])).toEqual([
      ["cores", 0, 6],
      ["standardDSv2Family", 0, 6],
      ["standardNCASv3_T4Family", 3, 0],
    ]);
  });

  test("a lab deployed in another region, or none, leaves the lines as reported", () => {
    for (const deployed of [
      { ...state(), workspace: undefined, resourceGroup: { name: "rg", location: "westeurope" } },
      undefined,
    ]) {
      expect(usagesBesideLab(usages, sizes, "eastus", deployed).map((u) => u.current)).toEqual([6, 6, 3]);
    }
  });
});
