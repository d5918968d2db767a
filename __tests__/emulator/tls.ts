import { readFileSync } from "node:fs";
import { generate } from "selfsigned";

export interface TestCertificate {
  /** PEM certificate: the server's, self-signed, so also the CA a client must trust. */
  readonly cert: string;
  readonly key: string;
}

let certificate: Promise<TestCertificate> | undefined;

/**
 * One certificate per process (key generation is the slow part). Go ignores the common name:
 * the subject alternative name IP:127.0.0.1 is what makes it valid for https://127.0.0.1:PORT.
 */
export function testCertificate(): Promise<TestCertificate> {
  certificate ??= generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return certificate;
}

/** Where Go and OpenSSL look for the system's roots on Debian and most Linux distributions. */
const SYSTEM_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"];

/**
 * A bundle for `SSL_CERT_FILE`: the system's roots (the one `SSL_CERT_FILE` already names, if set)
 * plus the test CA, so a provider that reaches a real registry still verifies it.
 */
export function caBundle(ca: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const file of [env.SSL_CERT_FILE, ...SYSTEM_BUNDLES]) {
    if (!file) continue;
    try {
      return `${readFileSync(file, "utf8").trimEnd()}\n${ca}`;
    } catch {
      // not on this machine: try the next
    }
  }
  return ca;
}
