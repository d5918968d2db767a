/** Limits the lab's settings, constructs and policy rules share: each is written once, here. */

/** Whole numbers from `min` to `max`, both included. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** Workers of the lab's cluster (the driver comes on top). */
export const WORKERS_RANGE: Range = { min: 1, max: 20 };

/** What the Clusters API accepts for auto-termination (0, "never", is not allowed in the lab). */
export const AUTOTERMINATION_RANGE: Range = { min: 10, max: 10000 };

/** The 2021 lab's value. */
export const DEFAULT_AUTOTERMINATION_MINUTES = 120;

/** The cost policy's limit: a forgotten lab cluster should not idle longer than a working afternoon. */
export const DEFAULT_MAX_AUTOTERMINATION_MINUTES = 240;

/** What Databricks accepts for `maxTokenLifetimeDays` (workspace_conf, databricks provider 1.99 docs). */
export const TOKEN_LIFETIME_DAYS_RANGE: Range = { min: 1, max: 730 };

/** A week: personal access tokens made during a class stop working after it. */
export const DEFAULT_MAX_TOKEN_LIFETIME_DAYS = 7;

/**
 * The largest class one lab workspace takes: each student's personal cluster is pinned (at most
 * 100 pinned clusters per workspace, the instructor's included), the provider imports one DBC at a
 * time, and 50 single-node CPU clusters already need 200 vCPUs of quota.
 */
export const MAX_STUDENTS = 50;

/** `HorovodRunner(np=2)` in the lab's notebook: the task slots the cluster must offer. */
export const HOROVOD_PROCESSES = 2;

/**
 * The largest `.dbc` the lab imports, downloaded or local. The databricks provider posts the whole
 * file, base64-encoded, to `/api/2.0/workspace/import` (provider 1.99.0, workspace/resource_notebook.go,
 * NotebooksAPI.Create), whose content "has a limit of 10 MB" (databricks-sdk-go 0.93.0,
 * service/workspace/model.go, Import.Content). Base64 takes 4 bytes for every 3, and 10 MB read
 * as 10,000,000 bytes (the smaller reading): 7,500,000 bytes of archive. The course's are a few KB.
 */
export const MAX_ARCHIVE_BYTES = 7_500_000;

export function inRange(value: number, range: Range): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}
