import { chmodSync } from "node:fs";
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/core-auth";
import { readFileSync } from "node:fs";
import { RemoteStateError, readDeployedState } from "../lab/azure/deployed-state";
import { CheckResult, runPreflight } from "../lab/azure/preflight";
import { refuseStudentRemoval, refuseWorkspaceReplacement } from "../lab/state/change-guard";
import { Azurite, entraToken, startAzurite } from "./helpers/azurite";
import { tempDir, writeTemp } from "./helpers/dbc";
import { FakeArm, startFakeArm } from "./helpers/fake-arm";
import { DeployedLab, writeDeployedState } from "./helpers/state";

const SUBSCRIPTION = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
const TERRAFORM = (() => {
  const file = writeTemp("terraform", `#!/bin/sh\necho '{"terraform_version":"1.11.4"}'\n`);
  chmodSync(file, 0o755);
  return file;
})();

/** The Azure CLI's login, as far as both fakes can tell: a token Azurite's OAuth check accepts. */
const signedIn = (audience?: string): TokenCredential => ({
  getToken: async () => ({ token: entraToken(audience), expiresOnTimestamp: Date.now() + 3_600_000 }),
});

let azurite: Azurite;
let arm: FakeArm | undefined;
beforeAll(async () => {
  azurite = await startAzurite();
}, 30_000);
afterAll(() => azurite.close());
afterEach(async () => {
  await arm?.close();
  arm = undefined;
});

/** Creates a container in the emulator (as `az storage container create` would). */
async function createContainer(name: string): Promise<void> {
  const https = await import("node:https");
  await new Promise<void>((resolve, reject) => {
    const req = https.request(
      `${azurite.blobEndpoint}/${name}?restype=container`,
      {
        method: "PUT",
        ca: azurite.ca,
        headers: { authorization: `Bearer ${entraToken()}`, "x-ms-version": "2023-11-03" },
      },
      (res) =>
        res.statusCode === 201 || res.statusCode === 409 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
    );
    req.on("error", reject);
    req.end();
  });
}

/** Puts a lab's state where Terraform's azurerm backend keeps it: a block blob `<key>` in the container. */
async function putState(container: string, key: string, lab: DeployedLab): Promise<void> {
  await createContainer(container);
  const text = readFileSync(writeDeployedState(tempDir("remote-state-"), lab), "utf8");
  const request = createPipelineRequest({
    url: `${azurite.blobEndpoint}/${container}/${key}`,
    method: "PUT",
    headers: createHttpHeaders({
      authorization: `Bearer ${entraToken()}`,
      "x-ms-version": "2023-11-03",
      "x-ms-blob-type": "BlockBlob",
    }),
    body: text,
  });
  request.tlsSettings = { ca: azurite.ca };
  const response = await createDefaultHttpClient().sendRequest(request);
  expect(response.status).toBe(201);
}

async function blobsIn(container: string): Promise<string> {
  const request = createPipelineRequest({
    url: `${azurite.blobEndpoint}/${container}?restype=container&comp=list`,
    headers: createHttpHeaders({ authorization: `Bearer ${entraToken()}`, "x-ms-version": "2023-11-03" }),
  });
  request.tlsSettings = { ca: azurite.ca };
  const response = await createDefaultHttpClient().sendRequest(request);
  expect(response.status).toBe(200);
  return response.bodyAsText ?? "";
}

async function stateStorageCheck(
  storageAccounts: string[],
  env: Record<string, string>,
  credential = signedIn(),
): Promise<CheckResult | undefined> {
  // Resource Manager and Azurite need the same CA: both fakes use a certificate of their own.
  arm = await startFakeArm({ providerState: "Registered", regions: {}, storageAccounts });
  const results = await runPreflight({
    env: { TERRAFORM_BINARY_NAME: TERRAFORM, ARM_SUBSCRIPTION_ID: SUBSCRIPTION, ...env },
    cwd: tempDir("preflight-"),
    credential,
    armEndpoint: arm.endpoint,
    blobEndpoint: () => azurite.blobEndpoint,
    ca: `${arm.ca}\n${azurite.ca}`,
    maxRetries: 0,
    cliSubscription: () => undefined,
    alternativeRegions: [],
  });
  return results.find((r) => r.check === "State storage");
}

const REMOTE = {
  LAB_STATE_STORAGE_ACCOUNT: "stlabstate",
  LAB_STATE_CONTAINER: "tfstate",
  LAB_STATE_RESOURCE_GROUP: "rg-state",
};

describe("preflight: remote state in Azure Storage (fake Resource Manager, Azurite)", () => {
  test("a container the login can write to passes, and the probe blob is gone again", async () => {
    await createContainer("tfstate");
    expect(await stateStorageCheck(["stlabstate"], REMOTE)).toEqual({
      check: "State storage",
      status: "pass",
      detail:
        "container tfstate of the storage account stlabstate exists, and this login can write blobs there (Entra ID; a probe blob was written and deleted).",
    });
    expect(await blobsIn("tfstate")).not.toMatch(/preflight-probe/);
  });

  test("a missing storage account fails with the two az commands that create it and its container", async () => {
    expect(await stateStorageCheck([], REMOTE)).toEqual({
      check: "State storage",
      status: "fail",
      detail: "the storage account stlabstate (LAB_STATE_STORAGE_ACCOUNT) is not in this subscription.",
      fix: [
        "az storage account create --name stlabstate --resource-group rg-state --location eastus --sku Standard_LRS --min-tls-version TLS1_2 --allow-blob-public-access false --allow-shared-key-access false",
        "az storage container create --name tfstate --account-name stlabstate --auth-mode login",
      ].join("\n"),
    });
  });

  test("a missing container fails with the command that creates it", async () => {
    expect(await stateStorageCheck(["stlabstate"], { ...REMOTE, LAB_STATE_CONTAINER: "no-such-container" })).toEqual({
      check: "State storage",
      status: "fail",
      detail: "container no-such-container of the storage account stlabstate does not exist.",
      fix: "az storage container create --name no-such-container --account-name stlabstate --auth-mode login",
    });
  });

  test("a login the storage refuses fails with the role to give it", async () => {
    await createContainer("tfstate");
    const check = await stateStorageCheck(["stlabstate"], REMOTE, signedIn("https://management.azure.com"));
    expect(check).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(
        /^this login may not write blobs in container tfstate of the storage account stlabstate \(/,
      ),
      fix: expect.stringContaining('az role assignment create --role "Storage Blob Data Contributor"'),
    });
  });

  test("without LAB_STATE_STORAGE_ACCOUNT there is no such check", async () => {
    expect(await stateStorageCheck([], {})).toBeUndefined();
  });
});

describe("a lab's state in Azure Storage (Azurite): the guards, labs, class-sheet and the instructor commands read it", () => {
  const access = (credential = signedIn()) => ({
    credential,
    blobEndpoint: () => azurite.blobEndpoint,
    ca: azurite.ca,
    maxRetries: 0,
  });
  const remote = (key: string) => ({ storageAccount: "stlabstate", container: "tfstate", key });
  const CLASS = ["ada@example.org", "grace@example.org"];

  test("a class kept only in remote state is seen: the removal guard refuses to drop a student", async () => {
    await putState("tfstate", "class-a.tfstate", { name: "class-a", students: CLASS });
    const cwd = tempDir("no-local-state-");
    const state = await readDeployedState({ name: "class-a", remoteState: remote("class-a.tfstate") }, cwd, access());
    expect(state?.students.map((s) => s.email)).toEqual(CLASS);
    expect(state?.file).toBe(`${azurite.blobEndpoint}/tfstate/class-a.tfstate`);
    expect(() => refuseStudentRemoval(state, [{ email: "ada@example.org" }], [])).toThrow(
      /no longer lists a student the lab has.*\n  grace@example\.org \(folder \/Classroom\/DP-090\/grace@example\.org\)/,
    );
    expect(() =>
      refuseWorkspaceReplacement(state, { name: "class-a", location: "westeurope", sku: "premium" }),
    ).toThrow(/LAB_LOCATION changed from eastus to westeurope/);
  });

  test("no blob under the key: nothing deployed yet", async () => {
    await createContainer("tfstate");
    const state = await readDeployedState({ name: "fresh", remoteState: remote("fresh.tfstate") }, tempDir(), access());
    expect(state).toBeUndefined();
  });

  test("a login the storage refuses: a RemoteStateError naming the account, container, blob and the answer", async () => {
    await putState("tfstate", "class-b.tfstate", { name: "class-b", students: CLASS });
    const read = readDeployedState(
      { name: "class-b", remoteState: remote("class-b.tfstate") },
      tempDir(),
      access(signedIn("https://management.azure.com")),
    );
    await expect(read).rejects.toThrow(RemoteStateError);
    await expect(read).rejects.toThrow(
      /^The lab's state in Azure Storage \(account stlabstate, container tfstate, blob class-b\.tfstate\) could not be read: \w+ \(HTTP 40[13]\)\.\nFix: sign in as the identity that deploys/,
    );
  });

  test("preflight's deployed-lab check reads the remote state: a roster without a student fails it", async () => {
    await putState("tfstate", "class-c.tfstate", { name: "class-c", students: CLASS });
    const dir = tempDir("preflight-remote-");
    const roster = writeTemp("class.csv", "email\nada@example.org\n", dir);
    arm = await startFakeArm({ providerState: "Registered", regions: {}, storageAccounts: ["stlabstate"] });
    const results = await runPreflight({
      env: {
        TERRAFORM_BINARY_NAME: TERRAFORM,
        ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
        LAB_NAME: "class-c",
        LAB_STUDENTS_FILE: roster,
        LAB_NOTEBOOK_FILE: writeTemp("lab.dbc", "not read here", dir),
        ...REMOTE,
      },
      cwd: dir,
      credential: signedIn(),
      armEndpoint: arm.endpoint,
      blobEndpoint: () => azurite.blobEndpoint,
      ca: `${arm.ca}\n${azurite.ca}`,
      maxRetries: 0,
      cliSubscription: () => undefined,
      alternativeRegions: [],
    });
    expect(results.find((r) => r.check === "Deployed lab")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("The roster of lab class-c no longer lists a student the lab has"),
      fix: expect.stringContaining("LAB_REMOVE_STUDENTS=grace@example.org"),
    });
  });
});
