import type { TokenCredential } from "@azure/core-auth";
import { firstLine } from "../../errors";
import type { LabSettings, SettingWarning, SettingsError } from "../../settings";
import type { LabState, StateError } from "../../state/local-state";
import type { AzureCapacity } from "../capacity";
import type { StateStorage } from "../state-storage";

export type CheckStatus = "pass" | "fail" | "warn" | "info" | "skip";

/** The label of every line of the report, written once: tests and callers name checks by these. */
export const CHECK = {
  node: "Node.js",
  terraform: "Terraform CLI",
  settings: "Lab settings",
  deployedLab: "Deployed lab",
  login: "Azure login",
  ownAddress: "Your address",
  rosterAndYou: "Roster and you",
  subscription: "Subscription",
  labUser: "Lab user",
  provider: "Resource provider",
  stateStorage: "State storage",
  vmSize: "VM size in region",
  quota: "vCPU quota",
  cost: "Cost estimate",
} as const;

export type CheckLabel = (typeof CHECK)[keyof typeof CHECK];

export interface CheckResult {
  readonly check: CheckLabel;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do about a failure or a warning. */
  readonly fix?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** How the preflight signed in, and what Entra ID answered. */
export interface Login {
  /** The identity, as the report names it. */
  readonly how: string;
  /** The Resource Manager access token, when the sign-in worked. */
  readonly token?: string;
  /** Why it did not. */
  readonly error?: unknown;
  /** Entra ID was never reached: the error's code says so, or the sign-in host did not answer. */
  readonly unreachable?: boolean;
}

/** Where the subscription Terraform deploys into comes from. */
export type SubscriptionSource = "LAB_SUBSCRIPTION_ID" | "ARM_SUBSCRIPTION_ID" | "Azure CLI" | "none";

export interface Subscription {
  /** Undefined when no source names one. */
  readonly id?: string;
  readonly source: SubscriptionSource;
}

/** Resource Manager clients, once a login and a subscription Terraform reads are known. */
export interface AzureAccess {
  readonly capacity: AzureCapacity;
  readonly stateStorage: () => StateStorage;
}

/**
 * What the checks read: gathered once (settings, sign-in, subscription) by `runPreflight`, so each
 * check only judges.
 */
export interface PreflightContext {
  readonly env: Env;
  readonly cwd: string;
  readonly nodeVersion: string;
  /** Undefined when the settings are invalid (`settingsError` says why). */
  readonly settings?: LabSettings;
  readonly settingsError?: SettingsError;
  /** What the settings load warned about: the warnings synth prints. */
  readonly settingsWarnings: readonly SettingWarning[];
  /** The lab of that name as deployed, per its state (the local file, or the remote blob). */
  readonly deployed?: LabState;
  /** Why the state could not be read. */
  readonly stateError?: StateError;
  readonly credential: TokenCredential;
  readonly login: Login;
  readonly subscription: Subscription;
  /** Undefined without a working login and a subscription. */
  readonly azure?: AzureAccess;
  readonly alternativeRegions: readonly string[];
}

/** One check of the pack: the report's lines it adds (none when it does not apply). */
export type PreflightCheck = (context: PreflightContext) => CheckResult[] | Promise<CheckResult[]>;

/** Lines for checks that cannot run, and why. */
export function skipped(labels: readonly CheckLabel[], reason: string): CheckResult[] {
  return labels.map((check) => ({ check, status: "skip", detail: reason }));
}

export const NEEDS_AZURE = "needs a working Azure login and a subscription (see above).";

/** A check Azure did not answer: a warning, never a failure (the deploy may well work). */
export function unreadable(check: CheckLabel, error: unknown, what: string): CheckResult {
  return {
    check,
    status: "warn",
    detail: `could not be read: ${azureError(error)}`,
    fix: `run the preflight again; if it persists, check ${what} in the Azure portal.`,
  };
}

/** An SDK error as one line: its HTTP status and code (fields the SDK sets), then what it says. */
export function azureError(e: unknown): string {
  const err = e as { statusCode?: number; code?: string; message?: string };
  return [err.statusCode && `HTTP ${err.statusCode}`, err.code, firstLine(err.message ?? String(e))]
    .filter(Boolean)
    .join(" ");
}
