import { ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./helpers/dbc";
import { TestServer, startServer } from "./helpers/http-server";

const SCRIPT = join(__dirname, "..", "scripts", "keep-azure-cli-signed-in.js");

let server: TestServer;
let keeper: ChildProcess | undefined;
afterEach(async () => {
  keeper?.kill("SIGTERM");
  keeper = undefined;
  await server?.close();
});

/** A stand-in `az` that records its arguments, one call a line. */
function fakeAz(dir: string): string {
  const log = join(dir, "az.log");
  const az = join(dir, "az");
  writeFileSync(az, `#!/bin/sh\necho "$*" >> "${log}"\n`);
  chmodSync(az, 0o755);
  return log;
}

async function until<T>(read: () => T | undefined, ms = 5000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    const value = read();
    if (value !== undefined) return value;
  }
  throw new Error("timed out");
}

function start(dir: string, env: Record<string, string> = {}) {
  let stdout = "";
  keeper = spawn(process.execPath, [SCRIPT], {
    env: {
      PATH: `${dir}:${process.env.PATH}`,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      ARM_CLIENT_ID: "client-id",
      ARM_TENANT_ID: "tenant-id",
      ARM_SUBSCRIPTION_ID: "sub-id",
      DP090_SIGN_IN_INTERVAL_SECONDS: "0.05",
      ...env,
    },
  });
  keeper.stdout?.on("data", (d) => (stdout += d));
  return { stdout: () => stdout };
}

describe("keeping the Azure CLI signed in through a long deploy", () => {
  test("signs in again, round after round, with a fresh ID token for Entra ID's exchange each time", async () => {
    const dir = tempDir("keeper-");
    const log = fakeAz(dir);
    const requests: { url: string; auth?: string }[] = [];
    server = await startServer({}, (req, res, hit) => {
      requests.push({ url: req.url ?? "", auth: req.headers.authorization });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: 1, value: `id-${hit}` }));
    });
    start(dir);
    const lines = await until(() => {
      const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
      return calls.length >= 4 ? calls : undefined;
    });
    expect(lines.slice(0, 4)).toEqual([
      "login --service-principal --username client-id --tenant tenant-id --federated-token id-1 --output none",
      "account set --subscription sub-id --output none",
      "login --service-principal --username client-id --tenant tenant-id --federated-token id-2 --output none",
      "account set --subscription sub-id --output none",
    ]);
    expect(requests[0]).toEqual({
      url: "/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange",
      auth: "Bearer request-token",
    });
  });

  test("a round GitHub does not answer is reported, without the token, and the next one signs in", async () => {
    const dir = tempDir("keeper-");
    const log = fakeAz(dir);
    server = await startServer({}, (_req, res, hit) => {
      if (hit === 1) res.writeHead(503).end("busy");
      else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: "id-late" }));
    });
    const run = start(dir);
    await until(() => (existsSync(log) && readFileSync(log, "utf8").includes("id-late") ? true : undefined));
    expect(run.stdout()).toContain(
      "::warning::Could not renew the Azure CLI sign-in (tried again in 0.05 s): GitHub's ID token endpoint answered HTTP 503",
    );
    expect(run.stdout()).not.toContain("request-token");
  });

  test("--once signs in at once and exits 0; when it cannot, it exits 1 before Terraform starts", async () => {
    const dir = tempDir("keeper-");
    const log = fakeAz(dir);
    let answer = 200;
    server = await startServer({}, (_req, res) => {
      if (answer !== 200) res.writeHead(answer).end("no");
      else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: "id-now" }));
    });
    const once = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [SCRIPT, "--once"], {
          env: {
            PATH: `${dir}:${process.env.PATH}`,
            ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}/token?api-version=2.0`,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
            ARM_CLIENT_ID: "client-id",
            ARM_TENANT_ID: "tenant-id",
            ARM_SUBSCRIPTION_ID: "sub-id",
          },
        });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("exit", (code) => resolve({ code, stderr }));
      });
    expect((await once()).code).toBe(0);
    expect(readFileSync(log, "utf8")).toBe(
      "login --service-principal --username client-id --tenant tenant-id --federated-token id-now --output none\naccount set --subscription sub-id --output none\n",
    );
    answer = 403;
    expect(await once()).toEqual({
      code: 1,
      stderr: "Could not sign the Azure CLI in: GitHub's ID token endpoint answered HTTP 403\n",
    });
  });

  test("outside a job with id-token: write it says what is missing and stops", async () => {
    const dir = tempDir("keeper-");
    server = await startServer({});
    const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH, ARM_CLIENT_ID: "x" } });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(
      "ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID not set",
    );
    expect(existsSync(join(dir, "az.log"))).toBe(false);
  });
});
