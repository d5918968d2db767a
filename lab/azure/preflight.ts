import { spawnSync } from "node:child_process";
import type { TokenCredential } from "@azure/core-auth";
import { LabSettings, SettingWarning, SettingsError, loadSettings } from "../settings";
import { LabState, StateError } from "../state/local-state";
import { AzureCapacity } from "./capacity";
import { AzureAccess, CheckResult, Env, PreflightContext, Subscription } from "./checks/check";
import { PREFLIGHT_CHECKS } from "./checks/pack";
import { readDeployedState } from "./deployed-state";
import { defaultCredential, secretServicePrincipal, signIn } from "./sign-in";
import { StateStorage } from "./state-storage";

export { CHECK } from "./checks/check";
export type { CheckLabel, CheckResult, CheckStatus } from "./checks/check";
export { blocksDeploy, formatReport } from "./report";

export interface PreflightOptions {
  readonly env: Env;
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
   * Entra ID's sign-in host, asked when a sign-in fails (did it answer at all?).
   * @default - AZURE_AUTHORITY_HOST, else https://login.microsoftonline.com
   */
  readonly authorityHost?: string;
  /**
   * Azure Resource Manager endpoint.
   * @default "https://management.azure.com"
   */
  readonly armEndpoint?: string;
  /**
   * Extra CA certificate (PEM) for the endpoints.
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
  const context = await gather(options);
  const results: CheckResult[] = [];
  for (const check of PREFLIGHT_CHECKS) results.push(...(await check(context)));
  if (context.settings && options.extraChecks) results.push(...(await options.extraChecks(context.settings)));
  return results;
}

/** What the checks judge, read once: the settings, the lab's state, the sign-in, the subscription. */
async function gather(options: PreflightOptions): Promise<PreflightContext> {
  const { env, cwd } = options;
  let settings: LabSettings | undefined;
  let settingsError: SettingsError | undefined;
  let settingsWarnings: SettingWarning[] = [];
  try {
    ({ settings, warnings: settingsWarnings } = loadSettings(env, { cwd, pricing: true, changesLab: true }));
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    settingsError = e;
  }
  const credential = options.credential ?? defaultCredential(env);
  let deployed: LabState | undefined;
  let stateError: StateError | undefined;
  try {
    const { blobEndpoint, ca, maxRetries } = options;
    deployed = settings && (await readDeployedState(settings, cwd, { credential, blobEndpoint, ca, maxRetries }));
  } catch (e) {
    if (!(e instanceof StateError)) throw e;
    stateError = e;
  }
  const login = await signIn(credential, env, {
    authorityHost: options.authorityHost,
    ca: options.ca,
    usesCli: options.credential === undefined && !secretServicePrincipal(env),
  });
  const subscription = findSubscription(settings, env, options.cliSubscription ?? azCliSubscription);
  // The CLI's subscription is checked too, although the provider will not read it (the check says so).
  const ready = login.token !== undefined && subscription.id !== undefined;
  return {
    env,
    cwd,
    nodeVersion: options.nodeVersion ?? process.version,
    settings,
    settingsError,
    settingsWarnings,
    deployed,
    stateError,
    credential,
    login,
    subscription,
    azure: ready ? connect(options, credential, subscription.id!) : undefined,
    alternativeRegions: options.alternativeRegions ?? DEFAULT_ALTERNATIVES,
  };
}

function connect(options: PreflightOptions, credential: TokenCredential, subscriptionId: string): AzureAccess {
  const { armEndpoint, ca, maxRetries, blobEndpoint } = options;
  return {
    capacity: new AzureCapacity({ credential, subscriptionId, endpoint: armEndpoint, ca, maxRetries }),
    stateStorage: () => new StateStorage({ credential, subscriptionId, armEndpoint, blobEndpoint, ca, maxRetries }),
  };
}

/** The subscription Terraform will deploy into: the setting (environment or file), else ARM_SUBSCRIPTION_ID. */
function findSubscription(settings: LabSettings | undefined, env: Env, cli: () => string | undefined): Subscription {
  if (settings?.subscriptionId) return { id: settings.subscriptionId, source: "LAB_SUBSCRIPTION_ID" };
  const fromEnv = env.ARM_SUBSCRIPTION_ID?.trim();
  if (fromEnv) return { id: fromEnv, source: "ARM_SUBSCRIPTION_ID" };
  const id = cli();
  return id ? { id, source: "Azure CLI" } : { source: "none" };
}

function azCliSubscription(): string | undefined {
  const run = spawnSync("az", ["account", "show", "--query", "id", "-o", "tsv"], { encoding: "utf8", timeout: 20_000 });
  return run.status === 0 ? run.stdout.trim() || undefined : undefined;
}
