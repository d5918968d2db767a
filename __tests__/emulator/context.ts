import { DatabricksState, EmulatorState, Workspace } from "./state";

/** Per-call delays and long operations, in milliseconds (all 0 unless a test sets a model). */
export interface Latency {
  /** Added to every Resource Manager call. */
  readonly arm: number;
  /** Added to every Databricks REST call. */
  readonly databricks: number;
  /** From a workspace's PUT to its operation reporting Succeeded (Azure: several minutes). */
  readonly workspaceCreate: number;
  /** From a workspace's DELETE to it being gone. */
  readonly workspaceDelete: number;
  /** From clusters/create (or start) to RUNNING. */
  readonly clusterStart: number;
  /** A DBC import (the archive is unpacked server-side). */
  readonly dbcImport: number;
  /** Extra delay for particular calls, by route name (as in `requests[].route`). */
  readonly routes: Readonly<Record<string, number>>;
}

export const NO_LATENCY: Latency = {
  arm: 0,
  databricks: 0,
  workspaceCreate: 0,
  workspaceDelete: 0,
  clusterStart: 0,
  dbcImport: 0,
  routes: {},
};

/** What the route modules share. */
export interface Context {
  readonly state: EmulatorState;
  readonly latency: Latency;
  /** The personal access token Databricks accepts, and whose user it is. */
  readonly token: string;
  readonly deployer: string;
  /** The public address Databricks sees the caller come from (IP access lists). */
  readonly callerAddress: string;
  /** `https://127.0.0.1:PORT`, once listening. */
  origin(): string;
  now(): number;
  /** The workspace the Databricks API answers for: the one provisioned workspace. */
  workspace(): Workspace | undefined;
  databricks(): DatabricksState | undefined;
  faults: Faults;
  /** Notes for the log (what a fault did, what a rule refused). */
  note(line: string): void;
}

/** Faults a test arms; each is consumed as it fires. */
export interface Faults {
  /** Answers of a given status (429, 503, or any other as an internal error) for the next `count` calls whose `METHOD path` matches. */
  bursts: { match: RegExp; status: number; count: number; retryAfter?: number }[];
  /** The next workspace create or update whose name matches ends Failed with this error. */
  workspaceFailures: { match: RegExp; code: string; message: string }[];
  /** Clusters whose name or single user matches terminate at start for lack of quota. */
  clusterQuota: { match: RegExp; count: number }[];
}

export function newFaults(): Faults {
  return { bursts: [], workspaceFailures: [], clusterQuota: [] };
}

/** A fresh id for the emulator's numeric ids (object ids, SCIM ids). */
export function nextId(holder: { nextId: number }): number {
  holder.nextId += 1;
  return holder.nextId;
}
