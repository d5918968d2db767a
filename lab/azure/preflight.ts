import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { TokenCredential } from "@azure/core-auth";
import { AzureCliCredential, ClientSecretCredential } from "@azure/identity";
import { parseIpv4, parseIpv4Range, rangeContains } from "../catalog/ip-ranges";
import { HOROVOD_PROCESSES } from "../catalog/limits";
import { MIN_NODE_VERSION, MIN_TERRAFORM_VERSION } from "../catalog/toolchain";
import { findVmSize } from "../catalog/vm-sizes";
import { LabSettings, SettingsError, loadSettings } from "../settings";
import type { RemoteState } from "../settings";
import {
  StudentRemovalError,
  WorkspaceReplacementError,
  refuseStudentRemoval,
  refuseWorkspaceReplacement,
  reimportWarnings,
} from "../state/change-guard";
import { LabState, StateError, readLabState } from "../state/local-state";
import { AzureCapacity, QuotaUsage, RegionalVmSize } from "./capacity";
import { StateStorage } from "./state-storage";

export type CheckStatus = "pass" | "fail" | "warn" | "info" | "skip";

export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do about a failure or a warning. */
  readonly fix?: string;
}

export interface PreflightOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Project root, for `lab.settings.json`. */
  readonly cwd: string;
  /**
   * Version of the Node.js that will run cdktf.
   * @default process.version
   */
  readonly nodeVersion?: string;
  /**
   * How to sign in to Azure.
   * @default - a service principal from ARM_CLIENT_ID / ARM_CLIENT_SECRET / ARM_TENANT_ID, else the Azure CLI session
   */
  readonly credential?: TokenCredential;
  /**
   * Azure Resource Manager endpoint.
   * @default "https://management.azure.com"
   */
  readonly armEndpoint?: string;
  /**
   * Extra CA certificate (PEM) for the endpoint.
   * @default - the system's CAs
   */
  readonly ca?: string;
  /**
   * Retries of the Azure SDK for transient errors.
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * The Azure CLI's current subscription, used when no variable names one.
   * @default - `az account show`
   */
  readonly cliSubscription?: () => string | undefined;
  /**
   * Regions to look in when the chosen one lacks quota.
   * @default - a few large regions
   */
  readonly alternativeRegions?: readonly string[];
  /**
   * The blob endpoint of a storage account (remote state).
   * @default - https://<account>.blob.core.windows.net
   */
  readonly blobEndpoint?: (account: string) => string;
  /**
   * Extra lines at the end of the report (the cost estimate).
   * @default - none
   */
  readonly extraChecks?: (settings: LabSettings) => Promise<CheckResult[]>;
}

const ARM_SCOPE = "https://management.azure.com/.default";
const DEFAULT_ALTERNATIVES = [
  "eastus",
  "eastus2",
  "westus2",
  "westeurope",
  "northeurope",
  "southeastasia",
  "japaneast",
  "uksouth",
];

/** Everything that makes a first `cdktf deploy` fail, checked before it runs. */
export async function runPreflight(options: PreflightOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkNode(options.nodeVersion ?? process.version), checkTerraform(options.env)];

  let settings: LabSettings | undefined;
  try {
    settings = loadSettings(options.env, { cwd: options.cwd, pricing: true }).settings;
    results.push({
      check: "Lab settings",
      status: "pass",
      detail: `${settings.name}: ${settings.flavor.name} cluster, ${settings.workers + 1} x ${settings.nodeType} in ${settings.location}`,
    });
    results.push(checkState(settings, options.cwd));
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    results.push({
      check: "Lab settings",
      status: "fail",
      detail: e.problems
        .map((p) => `${p.setting}${p.value === undefined ? "" : `=${p.value}`}: ${p.problem}`)
        .join("\n"),
      fix: e.problems.map((p) => p.fix).join("\n"),
    });
  }

  const credential = options.credential ?? defaultCredential(options.env);
  const { result: login, token } = await checkLogin(credential, options.env);
  results.push(login);
  if (settings?.allowedIpRanges) results.push(checkOwnAddress(settings.allowedIpRanges, token));
  const subscription = findSubscription(settings, options.env, options.cliSubscription ?? azCliSubscription);
  results.push(subscription.result);
  if (servicePrincipal(options.env)) {
    results.push({
      check: "Lab user",
      status: "warn",
      detail: `the deploying identity is the service principal ${options.env.ARM_CLIENT_ID}: the cluster is dedicated to it and the notebooks land in its home, so no person can use them.`,
      fix: "deploy with `az login` as the person who will run the lab (unset ARM_CLIENT_ID / ARM_CLIENT_SECRET).",
    });
  }

  const azureReady = login.status === "pass" && subscription.id !== undefined;
  if (!azureReady) {
    for (const check of ["Resource provider", "VM size in region", "vCPU quota"]) {
      results.push({ check, status: "skip", detail: "needs a working Azure login and a subscription (see above)." });
    }
  } else {
    const azure = new AzureCapacity({
      credential,
      subscriptionId: subscription.id!,
      endpoint: options.armEndpoint,
      ca: options.ca,
      maxRetries: options.maxRetries,
    });
    results.push(await checkProvider(azure));
    if (settings?.remoteState) {
      const storage = new StateStorage({
        credential,
        subscriptionId: subscription.id!,
        armEndpoint: options.armEndpoint,
        blobEndpoint: options.blobEndpoint,
        ca: options.ca,
        maxRetries: options.maxRetries,
      });
      results.push(await checkStateStorage(storage, settings.remoteState, settings.location));
    }
    if (settings) {
      results.push(...(await checkCapacity(azure, settings, options.alternativeRegions ?? DEFAULT_ALTERNATIVES)));
    } else {
      results.push(
        { check: "VM size in region", status: "skip", detail: "needs valid lab settings (see above)." },
        { check: "vCPU quota", status: "skip", detail: "needs valid lab settings (see above)." },
      );
    }
  }

  if (settings && options.extraChecks) results.push(...(await options.extraChecks(settings)));
  return results;
}

export function blocksDeploy(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.status === "fail");
}

const LABELS: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", warn: "WARN", info: "INFO", skip: "SKIP" };

/** A table a person reads in a terminal: status, check, details, and a fix under each problem. */
export function formatReport(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.check.length));
  const indent = " ".repeat(4 + 2 + width + 2);
  const lines: string[] = [];
  for (const r of results) {
    const [first, ...rest] = r.detail.split("\n");
    lines.push(`${LABELS[r.status]}  ${r.check.padEnd(width)}  ${first}`);
    for (const line of rest) lines.push(`${indent}${line}`);
    if (r.fix && (r.status === "fail" || r.status === "warn")) {
      r.fix.split("\n").forEach((line, i) => lines.push(`${indent}${i === 0 ? "Fix: " : "     "}${line}`));
    }
  }
  const failed = results.filter((r) => r.status === "fail").length;
  lines.push(
    "",
    failed
      ? `${failed} check(s) failed: fix them before \`cdktf deploy\`.`
      : "Nothing blocks a deploy. Run `npx cdktf deploy`.",
  );
  return lines.join("\n");
}

/** The storage account and container for the state exist, and the login may write blobs there. */
async function checkStateStorage(storage: StateStorage, remote: RemoteState, location: string): Promise<CheckResult> {
  const check = "State storage";
  const where = `container ${remote.container} of the storage account ${remote.storageAccount}`;
  const group = remote.resourceGroup ?? "<resource group>";
  const createContainer = `az storage container create --name ${remote.container} --account-name ${remote.storageAccount} --auth-mode login`;
  try {
    if (!(await storage.accountExists(remote.storageAccount))) {
      return {
        check,
        status: "fail",
        detail: `the storage account ${remote.storageAccount} (LAB_STATE_STORAGE_ACCOUNT) is not in this subscription.`,
        fix: [
          `az storage account create --name ${remote.storageAccount} --resource-group ${group} --location ${location} --sku Standard_LRS --min-tls-version TLS1_2 --allow-blob-public-access false --allow-shared-key-access false`,
          createContainer,
        ].join("\n"),
      };
    }
    const access = await storage.containerAccess(remote.storageAccount, remote.container);
    if (access === "writable") {
      return {
        check,
        status: "pass",
        detail: `${where} exists, and this login can write blobs there (Entra ID; a probe blob was written and deleted).`,
      };
    }
    if (access === "missing") {
      return { check, status: "fail", detail: `${where} does not exist.`, fix: createContainer };
    }
    return {
      check,
      status: "fail",
      detail: `this login may not write blobs in ${where} (${access.message}): Terraform could not keep the state there.`,
      fix: `give it the role "Storage Blob Data Contributor" on the account: az role assignment create --role "Storage Blob Data Contributor" --assignee $(az ad signed-in-user show --query id -o tsv) --scope $(az storage account show --name ${remote.storageAccount} --query id -o tsv)`,
    };
  } catch (e) {
    return unreadable(check, e, "the storage account");
  }
}

/** What the settings would do to a lab already deployed from this folder (its local state). */
function checkState(settings: LabSettings, cwd: string): CheckResult {
  const check = "Deployed lab";
  let state: LabState | undefined;
  try {
    state = readLabState(cwd, settings.name);
  } catch (e) {
    if (!(e instanceof StateError)) throw e;
    return { check, status: "fail", detail: e.message.split("\n")[0], fix: e.message.split("\n").slice(1).join("\n") };
  }
  if (!state)
    return { check, status: "pass", detail: `none named ${settings.name} in this folder: the deploy creates it.` };
  try {
    refuseWorkspaceReplacement(state, settings);
    refuseStudentRemoval(state, settings.classroom?.roster.students ?? [], settings.removeStudents);
  } catch (e) {
    if (e instanceof WorkspaceReplacementError || e instanceof StudentRemovalError) return guardFailure(check, e);
    throw e;
  }
  const sha256 = plannedArchiveSum(settings);
  const reimport = sha256 ? reimportWarnings(state, { sha256 }) : [];
  if (reimport.length > 0)
    return { check, status: "warn", detail: reimport.join("\n"), fix: "see above; nothing blocks the deploy." };
  return {
    check,
    status: "pass",
    detail: `${state.name} is deployed in ${state.workspace?.location ?? "?"}; the settings change nothing that replaces it.`,
  };
}

/** A guard's refusal as a failed check: what is wrong as the detail, the ways out ("Either:") as the fix. */
function guardFailure(check: string, error: Error): CheckResult {
  const lines = error.message.split("\n");
  const either = lines.indexOf("Either:");
  return {
    check,
    status: "fail",
    detail: lines.slice(0, either).join("\n"),
    fix: lines
      .slice(either + 1)
      .map((line) => line.trim())
      .join("\n"),
  };
}

/** The sum of the archive the settings import, when it is known before synth. */
function plannedArchiveSum(settings: LabSettings): string | undefined {
  if (settings.notebook.sha256) return settings.notebook.sha256;
  if (settings.notebook.kind === "file" && existsSync(settings.notebook.file)) {
    return createHash("sha256").update(readFileSync(settings.notebook.file)).digest("hex");
  }
  return undefined;
}

/**
 * With an IP allow-list, the address Terraform connects from must be on it, or the next apply and
 * the destroy are locked out of the workspace. Entra ID writes that address into the access
 * token's `ipaddr` claim (for user sign-ins; service principals' tokens lack it).
 */
function checkOwnAddress(ranges: readonly string[], token: string | undefined): CheckResult {
  const check = "Your address";
  const address = token ? tokenClaim(token, "ipaddr") : undefined;
  const parsed = address === undefined ? undefined : parseIpv4(address);
  if (parsed === undefined) {
    return {
      check,
      status: "warn",
      detail: token
        ? "the Azure access token carries no IPv4 address (ipaddr claim), so whether LAB_ALLOWED_IP_RANGES lets this machine in is unchecked."
        : "unchecked: it is read from the Azure login, which failed (see above).",
      fix: "find this machine's public address (curl -s https://api.ipify.org) and make sure LAB_ALLOWED_IP_RANGES contains it.",
    };
  }
  const covering = ranges.find((r) => rangeContains(parseIpv4Range(r)!, parsed));
  if (covering)
    return {
      check,
      status: "pass",
      detail: `${address} (from the Azure login) is in LAB_ALLOWED_IP_RANGES (${covering}).`,
    };
  return {
    check,
    status: "fail",
    detail: `${address}, where this machine signs in from, is not in LAB_ALLOWED_IP_RANGES (${ranges.join(", ")}): the deploy would lock Terraform itself out of the workspace, and the destroy after it.`,
    fix: `add ${address} (or its /24) to LAB_ALLOWED_IP_RANGES.`,
  };
}

/** A claim of a JWT's payload, read without verifying it (the token came from Azure's own SDK). */
function tokenClaim(token: string, claim: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload[claim] === "string" ? payload[claim] : undefined;
  } catch {
    return undefined;
  }
}

function versionAtLeast(version: string, minimum: string): boolean {
  const a = version
    .replace(/^v/, "")
    .split(".")
    .map((n) => parseInt(n, 10) || 0);
  const b = minimum.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  return true;
}

function checkNode(version: string): CheckResult {
  return versionAtLeast(version, MIN_NODE_VERSION)
    ? { check: "Node.js", status: "pass", detail: `${version} (needs ${MIN_NODE_VERSION} or later)` }
    : {
        check: "Node.js",
        status: "fail",
        detail: `${version} is older than ${MIN_NODE_VERSION}.`,
        fix: `install Node.js ${MIN_NODE_VERSION} or later (20 LTS or 22 LTS).`,
      };
}

function checkTerraform(env: Readonly<Record<string, string | undefined>>): CheckResult {
  const binary = env.TERRAFORM_BINARY_NAME || "terraform";
  const run = spawnSync(binary, ["version", "-json"], {
    encoding: "utf8",
    env: { ...env } as NodeJS.ProcessEnv,
    timeout: 20_000,
  });
  const fix = `install Terraform ${MIN_TERRAFORM_VERSION} or later (developer.hashicorp.com/terraform/install) and put it on PATH, or set TERRAFORM_BINARY_NAME to its path.`;
  if (run.error || run.status !== 0) {
    return {
      check: "Terraform CLI",
      status: "fail",
      detail: `"${binary}" could not be run (${run.error?.message ?? `exit ${run.status}`}).`,
      fix,
    };
  }
  let version: string | undefined;
  try {
    version = JSON.parse(run.stdout).terraform_version;
  } catch {
    version = /Terraform v(\d+\.\d+\.\d+)/.exec(run.stdout)?.[1];
  }
  if (!version)
    return { check: "Terraform CLI", status: "fail", detail: `"${binary}" did not report a Terraform version.`, fix };
  return versionAtLeast(version, MIN_TERRAFORM_VERSION)
    ? {
        check: "Terraform CLI",
        status: "pass",
        detail: `${version} at "${binary}" (needs ${MIN_TERRAFORM_VERSION} or later)`,
      }
    : { check: "Terraform CLI", status: "fail", detail: `${version} is older than ${MIN_TERRAFORM_VERSION}.`, fix };
}

function servicePrincipal(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.ARM_CLIENT_ID && env.ARM_CLIENT_SECRET && env.ARM_TENANT_ID);
}

/** The same identities the Terraform providers use: ARM_* service principal, else the Azure CLI. */
function defaultCredential(env: Readonly<Record<string, string | undefined>>): TokenCredential {
  if (servicePrincipal(env))
    return new ClientSecretCredential(env.ARM_TENANT_ID!, env.ARM_CLIENT_ID!, env.ARM_CLIENT_SECRET!);
  return new AzureCliCredential();
}

async function checkLogin(
  credential: TokenCredential,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ result: CheckResult; token?: string }> {
  const how = servicePrincipal(env) ? "service principal from ARM_* variables" : "Azure CLI session";
  try {
    const access = await credential.getToken(ARM_SCOPE);
    if (!access) throw new Error("the credential returned no access token.");
    return { result: { check: "Azure login", status: "pass", detail: `signed in (${how})` }, token: access.token };
  } catch (e) {
    return { result: loginFailure(e as Error, how) };
  }
}

function loginFailure(e: Error, how: string): CheckResult {
  const reason = firstLine(e.message);
  if (NETWORK_FAILURE.test(e.message)) {
    return {
      check: "Azure login",
      status: "fail",
      detail: `Microsoft Entra ID could not be reached (${how}), so whether the login works is unknown: ${reason}`,
      fix: "check the network connection and any proxy (HTTPS_PROXY) to login.microsoftonline.com and management.azure.com, then run the preflight again; signing in again will not help.",
    };
  }
  return {
    check: "Azure login",
    status: "fail",
    detail: `no usable Azure login (${how}): ${reason}`,
    fix: "run `az login`, or export ARM_CLIENT_ID, ARM_CLIENT_SECRET and ARM_TENANT_ID of a service principal.",
  };
}

/**
 * How Node, the Azure SDK and the Azure CLI (Python) word a request that never got an answer; the
 * credential types carry no code for it, only the underlying message.
 */
const NETWORK_FAILURE =
  /ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|getaddrinfo|socket hang up|Failed to establish a new connection|Max retries exceeded|NameResolutionError/i;

function azCliSubscription(): string | undefined {
  const run = spawnSync("az", ["account", "show", "--query", "id", "-o", "tsv"], { encoding: "utf8", timeout: 20_000 });
  return run.status === 0 ? run.stdout.trim() || undefined : undefined;
}

/** The subscription Terraform will deploy into: the setting (environment or file), else ARM_SUBSCRIPTION_ID. */
function findSubscription(
  settings: LabSettings | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cli: () => string | undefined,
): { id?: string; result: CheckResult } {
  if (settings?.subscriptionId) {
    return {
      id: settings.subscriptionId,
      result: {
        check: "Subscription",
        status: "pass",
        detail: `${settings.subscriptionId} (from LAB_SUBSCRIPTION_ID)`,
      },
    };
  }
  const fromEnv = env.ARM_SUBSCRIPTION_ID?.trim();
  if (fromEnv)
    return {
      id: fromEnv,
      result: { check: "Subscription", status: "pass", detail: `${fromEnv} (from ARM_SUBSCRIPTION_ID)` },
    };
  const id = cli();
  if (id) {
    return {
      id,
      result: {
        check: "Subscription",
        status: "fail",
        detail: `${id} is the Azure CLI's current subscription, but the azurerm provider 4.x does not read it.`,
        fix: "export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
      },
    };
  }
  return {
    result: {
      check: "Subscription",
      status: "fail",
      detail:
        "none: ARM_SUBSCRIPTION_ID and LAB_SUBSCRIPTION_ID are unset and the Azure CLI has no current subscription.",
      fix: "az login, then export ARM_SUBSCRIPTION_ID=$(az account show --query id -o tsv)",
    },
  };
}

async function checkProvider(azure: AzureCapacity): Promise<CheckResult> {
  const check = "Resource provider";
  try {
    const state = await azure.providerState("Microsoft.Databricks");
    if (state === "Registered") return { check, status: "pass", detail: "Microsoft.Databricks is registered" };
    return {
      check,
      status: "warn",
      detail: `Microsoft.Databricks is ${state}. The azurerm provider tries to register it during deploy, which needs rights on the whole subscription.`,
      fix: "az provider register --namespace Microsoft.Databricks --wait",
    };
  } catch (e) {
    return unreadable(check, e, "the subscription");
  }
}

async function checkCapacity(
  azure: AzureCapacity,
  settings: LabSettings,
  alternatives: readonly string[],
): Promise<CheckResult[]> {
  const region = settings.location;
  let sizes: RegionalVmSize[];
  let usages: QuotaUsage[];
  try {
    [sizes, usages] = await Promise.all([azure.vmSizes(region), azure.usages(region)]);
  } catch (e) {
    const detail = `could not be read: ${azureError(e)}`;
    const fix = "run the preflight again; Azure may be briefly unavailable.";
    return [
      { check: "VM size in region", status: "warn", detail, fix },
      { check: "vCPU quota", status: "warn", detail, fix },
    ];
  }

  const instructorNodes = settings.workers + 1;
  const students = settings.classroom?.roster.students.length ?? 0;
  const studentNodes = settings.flavor.student.workers + 1;
  // Policy compute peaks at the same size: every student may start their cluster.
  const nodes = instructorNodes + students * studentNodes;
  const size = sizes.find((s) => s.name.toLowerCase() === settings.nodeType.toLowerCase());
  // Only sizes the lab knows (a Databricks node type, task slots counted) that give HorovodRunner its slots.
  const suitable = (s: RegionalVmSize) => {
    const known = findVmSize(s.name);
    return (
      known !== undefined &&
      known.gpus > 0 === settings.flavor.isGpu &&
      !s.restriction &&
      settings.flavor.taskSlots(known, settings.workers) >= HOROVOD_PROCESSES
    );
  };
  const fittingSizes = () =>
    sizes
      .filter((s) => suitable(s) && s.name !== size?.name && fits(usages, s, nodes * s.vcpus))
      .sort((a, b) => a.vcpus - b.vcpus || a.name.localeCompare(b.name))
      .slice(0, 3)
      .map((s) => s.name);

  if (!size || size.restriction) {
    const others = fittingSizes();
    return [
      {
        check: "VM size in region",
        status: "fail",
        detail: size
          ? `${settings.nodeType} is restricted in ${region} for this subscription (${size.restriction}).`
          : `${settings.nodeType} is not offered in ${region}.`,
        fix: `pick another region (LAB_LOCATION) or size (LAB_NODE_TYPE)${others.length ? `; sizes here with free quota: ${others.join(", ")}` : ""}.`,
      },
      { check: "vCPU quota", status: "skip", detail: "needs a VM size the region offers." },
    ];
  }

  const needed = nodes * size.vcpus;
  const family = usages.find((u) => u.name.toLowerCase() === size.family.toLowerCase());
  const total = usages.find((u) => u.name.toLowerCase() === "cores");
  const sizeResult: CheckResult = {
    check: "VM size in region",
    status: "pass",
    detail: `${size.name} is offered in ${region} (${size.vcpus} vCPUs${size.gpus ? `, ${size.gpus} GPU` : ""}, family ${size.family})`,
  };
  const describe = (u: QuotaUsage | undefined, label: string) =>
    u
      ? `${label}: needed ${needed}, limit ${u.limit}, used ${u.current}, free ${u.limit - u.current}`
      : `${label}: not reported`;
  const detail = [describe(family, family?.displayName || size.family), describe(total, "Total Regional vCPUs")].join(
    "\n",
  );
  const short = [family, total].some((u) => u !== undefined && u.limit - u.current < needed);
  if (!short) return [sizeResult, { check: "vCPU quota", status: family ? "pass" : "warn", detail }];

  const others = fittingSizes();
  const regions = await regionsThatFit(
    azure,
    size.name,
    needed,
    alternatives.filter((r) => r !== region),
  );
  const free = Math.min(
    ...[family, total].filter((u): u is QuotaUsage => u !== undefined).map((u) => u.limit - u.current),
  );
  const perStudent = studentNodes * size.vcpus;
  const fitting = Math.max(0, Math.floor((free - instructorNodes * size.vcpus) / perStudent));
  const options = [
    others.length ? `sizes in ${region} that fit: ${others.join(", ")}` : undefined,
    regions.length ? `regions where ${size.name} fits: ${regions.join(", ")}` : undefined,
    students > 0
      ? `split the class: the free quota takes ${fitting} student(s) beside your cluster (${perStudent} vCPUs each), so run labs of at most ${fitting} students with their own LAB_NAME`
      : undefined,
    students > 0 && settings.classroom?.compute.clustersAtDeploy
      ? "LAB_CLASSROOM_COMPUTE=policy: no student cluster starts at deploy, and quota is used only by students whose clusters run"
      : undefined,
  ].filter(Boolean);
  return [
    sizeResult,
    {
      check: "vCPU quota",
      status: "fail",
      detail: `${students > 0 ? `${nodes} nodes (yours ${instructorNodes}, ${students} students x ${studentNodes})` : `${nodes} nodes`} x ${size.vcpus} vCPUs do not fit.\n${detail}`,
      fix:
        [`request more quota (Azure portal > Quotas > Compute, ${size.family} in ${region})`, ...options].join(
          ";\nor ",
        ) + ".",
    },
  ];
}

function free(usages: readonly QuotaUsage[], name: string): number {
  const u = usages.find((x) => x.name.toLowerCase() === name.toLowerCase());
  return u ? u.limit - u.current : 0;
}

/** Enough free vCPUs both in the size's family and in the region's total. */
function fits(usages: readonly QuotaUsage[], size: RegionalVmSize, needed: number): boolean {
  return free(usages, size.family) >= needed && free(usages, "cores") >= needed;
}

/** Other regions offering the size with enough free quota; a region that cannot be read is left out. */
async function regionsThatFit(
  azure: AzureCapacity,
  sizeName: string,
  needed: number,
  regions: readonly string[],
): Promise<string[]> {
  const checks = await Promise.all(
    regions.map(async (region) => {
      try {
        const [sizes, usages] = await Promise.all([azure.vmSizes(region), azure.usages(region)]);
        const size = sizes.find((s) => s.name.toLowerCase() === sizeName.toLowerCase() && !s.restriction);
        return size && fits(usages, size, needed) ? region : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return checks.filter((r): r is string => r !== undefined).slice(0, 3);
}

/** A check Azure did not answer: a warning, never a failure (the deploy may well work). */
function unreadable(check: string, error: unknown, what: string): CheckResult {
  return {
    check,
    status: "warn",
    detail: `could not be read: ${azureError(error)}`,
    fix: `run the preflight again; if it persists, check ${what} in the Azure portal.`,
  };
}

function azureError(e: unknown): string {
  const err = e as { statusCode?: number; code?: string; message?: string };
  return [err.statusCode && `HTTP ${err.statusCode}`, err.code, firstLine(err.message ?? String(e))]
    .filter(Boolean)
    .join(" ");
}

function firstLine(text: string): string {
  return text.split("\n")[0].slice(0, 200);
}
