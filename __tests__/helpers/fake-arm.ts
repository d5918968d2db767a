import { IncomingMessage, ServerResponse } from "node:http";
import { Server, createServer } from "node:https";
import { AddressInfo } from "node:net";
import type { TokenCredential } from "@azure/core-auth";
import { generate } from "selfsigned";

export interface FakeSku {
  name: string;
  family: string;
  vcpus: number;
  gpus?: number;
  /** Restricted for the subscription in this region. */
  restricted?: boolean;
}

export interface FakeRegion {
  skus: FakeSku[];
  /** Family (or `cores`) -> [used, limit] */
  usages: Record<string, [number, number]>;
}

export interface FakeArmState {
  providerState: string;
  regions: Record<string, FakeRegion>;
  /** Paths (regex) answered with HTTP 500. */
  failing?: RegExp;
  /** Storage accounts in the subscription, by name. */
  storageAccounts?: string[];
}

export interface FakeArm {
  readonly endpoint: string;
  readonly ca: string;
  /** Request paths, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

let certificate: Promise<{ cert: string; private: string }> | undefined;

/** One certificate per test file: key generation is the slow part. */
export function testCertificate() {
  certificate ??= generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  return certificate;
}

/**
 * HTTPS on 127.0.0.1 answering like the Azure Resource Manager endpoints the preflight calls
 * (the SDK refuses bearer tokens over plain HTTP).
 */
export async function startFakeArm(state: FakeArmState): Promise<FakeArm> {
  const { cert, private: key } = await testCertificate();
  const requests: string[] = [];
  const server: Server = createServer({ cert, key }, (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (state.failing?.test(url.pathname))
      return send(500, { error: { code: "InternalServerError", message: "Something went wrong." } });

    if (/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Databricks$/i.test(url.pathname)) {
      return send(200, { namespace: "Microsoft.Databricks", registrationState: state.providerState });
    }
    if (/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/skus$/i.test(url.pathname)) {
      const location = /location eq '([^']+)'/.exec(url.searchParams.get("$filter") ?? "")?.[1] ?? "";
      const region = state.regions[location];
      return send(200, {
        value: (region?.skus ?? []).map((s) => ({
          resourceType: "virtualMachines",
          name: s.name,
          tier: "Standard",
          family: s.family,
          locations: [location],
          capabilities: [
            { name: "vCPUs", value: String(s.vcpus) },
            ...(s.gpus ? [{ name: "GPUs", value: String(s.gpus) }] : []),
          ],
          restrictions: s.restricted
            ? [
                {
                  type: "Location",
                  values: [location],
                  restrictionInfo: { locations: [location] },
                  reasonCode: "NotAvailableForSubscription",
                },
              ]
            : [],
        })),
      });
    }
    if (/^\/subscriptions\/[^/]+\/resources$/i.test(url.pathname)) {
      const name = /name eq '([^']+)'/.exec(url.searchParams.get("$filter") ?? "")?.[1];
      return send(200, {
        value: (state.storageAccounts ?? [])
          .filter((account) => account === name)
          .map((account) => ({
            id: `/subscriptions/x/resourceGroups/rg-state/providers/Microsoft.Storage/storageAccounts/${account}`,
            name: account,
            type: "Microsoft.Storage/storageAccounts",
          })),
      });
    }
    const usage = /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/usages$/i.exec(
      url.pathname,
    );
    if (usage) {
      const region = state.regions[usage[1]];
      return send(200, {
        value: Object.entries(region?.usages ?? {}).map(([name, [used, limit]]) => ({
          unit: "Count",
          currentValue: used,
          limit,
          name: { value: name, localizedValue: name === "cores" ? "Total Regional vCPUs" : `${name} vCPUs` },
        })),
      });
    }
    send(404, { error: { code: "NotFound", message: `no fake for ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    ca: cert,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Stands in for `az login`: the fake server accepts any bearer token. */
export const fakeCredential: TokenCredential = {
  getToken: async () => ({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
