import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { generate } from "selfsigned";
import { tempDir, writeTemp } from "./dbc";
import { closedPort } from "./http-server";

export interface Azurite {
  /** The blob endpoint of the emulator's account, as https://<account>.blob.core.windows.net stands in for it. */
  readonly blobEndpoint: string;
  readonly ca: string;
  close(): Promise<void>;
}

/**
 * Azurite (Microsoft's storage emulator) on 127.0.0.1, over HTTPS with Entra ID (OAuth) checks on,
 * as the preflight talks to a real storage account.
 */
export async function startAzurite(): Promise<Azurite> {
  // Its own subject: a CA list with two self-signed certificates of one subject fails to verify.
  const { cert, private: key } = await generate([{ name: "commonName", value: "azurite.test" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  const dir = tempDir("azurite-");
  const port = await closedPort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(__dirname, "..", "..", "node_modules", "azurite", "dist", "src", "blob", "main.js"),
      ...["--blobHost", "127.0.0.1", "--blobPort", String(port), "--location", dir],
      ...["--cert", writeTemp("cert.pem", cert, dir), "--key", writeTemp("key.pem", key, dir)],
      ...["--oauth", "basic", "--disableTelemetry", "--skipApiVersionCheck", "--silent"],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`Azurite did not start:\n${output}`)), 15_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/successfully listens/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`Azurite exited (${code}):\n${output}`)));
  });
  return {
    blobEndpoint: `https://127.0.0.1:${port}/devstoreaccount1`,
    ca: cert,
    close: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

/** An Entra ID access token as Azurite's OAuth check reads it (issuer, audience, validity); unsigned. */
export function entraToken(audience = "https://storage.azure.com"): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return [
    part({ alg: "RS256", typ: "JWT" }),
    part({
      aud: audience,
      iss: "https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/",
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      oid: "0",
    }),
    "c2ln",
  ].join(".");
}
