import type { TokenCredential } from "@azure/core-auth";
import { startEmulator } from "../emulator";
import type { Sku } from "../emulator/state";

export type FakeSku = Sku;

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

/**
 * Resource Manager as the preflight sees it: the emulator's ARM side (__tests__/emulator), seeded
 * with regions, quotas and storage accounts. One fake of ARM for the preflight and for Terraform.
 */
export async function startFakeArm(state: FakeArmState): Promise<FakeArm> {
  const emulator = await startEmulator({
    providers: { "Microsoft.Databricks": state.providerState },
    regions: state.regions,
    storageAccounts: state.storageAccounts,
  });
  if (state.failing) {
    // Faults match `METHOD path`: a pattern anchored at the path's start is anchored after the method.
    const source = state.failing.source.replace(/^\^/, "^\\S+ ");
    emulator.faults.bursts.push({ match: new RegExp(source), status: 500, count: Infinity });
  }
  return {
    endpoint: emulator.url,
    ca: emulator.ca,
    get requests() {
      return emulator.requests.map((r) => r.path);
    },
    close: () => emulator.close(),
  };
}

/** Stands in for `az login`: the emulator accepts any bearer token on Resource Manager. */
export const fakeCredential: TokenCredential = {
  getToken: async () => ({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
