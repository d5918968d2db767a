import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { distance } from "fastest-levenshtein";
import { ClusterFlavor } from "./cluster-flavor";
import {
  NOTEBOOK_LANGUAGES,
  NotebookLanguage,
  defaultArchive,
  knownSumForUrl,
  toDownloadUrl,
} from "./course-archives";
import { closestRegions, isDatabricksRegion, normalizeRegion } from "./regions";
import {
  hasScalaAbove211,
  hasSparkAbove30,
  isNewerThanHorovodRuntime,
  parseMlRuntime,
} from "./runtime-version";
import { redactUrl } from "./http";
import { VM_SIZE_PATTERN, findVmSize, isGpuSize, retirementOf } from "./vm-sizes";

/** Where the notebook archive comes from. */
export type NotebookSource =
  | {
      readonly kind: "download";
      /** Tried in order; the first that serves the expected bytes wins. */
      readonly urls: readonly string[];
      /** Expected sha256; undefined only when the user opted out with `unverified`. */
      readonly sha256?: string;
    }
  | {
      readonly kind: "file";
      /** Absolute path of a local `.dbc`. */
      readonly file: string;
      /** Checked when the user gave one. */
      readonly sha256?: string;
    };

export type WorkspaceSku = "premium" | "trial";

/** Everything a user may change about the lab, validated and with defaults applied. */
export interface LabSettings {
  readonly name: string;
  readonly location: string;
  readonly flavor: ClusterFlavor;
  readonly sku: WorkspaceSku;
  readonly nodeType: string;
  readonly workers: number;
  readonly runtime: string;
  readonly autoterminationMinutes: number;
  /** The cost policy's limit for autoterminationMinutes (rule LAB-CLUSTER-AUTOTERMINATION). */
  readonly maxAutoterminationMinutes: number;
  readonly notebookLanguage: NotebookLanguage;
  readonly notebook: NotebookSource;
  /** Written into the azurerm provider when set; otherwise Terraform reads `ARM_SUBSCRIPTION_ID`. */
  readonly subscriptionId?: string;
  /** Cache folder: `notebook-archives/` (by sha256) and `retail-prices/` (24 hours). */
  readonly cacheDir: string;
  /** For `npm run cost`. */
  readonly pricing: PricingSettings;
}

export interface PricingSettings {
  /** ISO code the Retail Prices API answers in. */
  readonly currency: string;
  /** Azure Retail Prices API base URL. */
  readonly apiUrl: string;
  /** DBU per hour per node for a size missing from the lab's table. */
  readonly dbuPerHour?: number;
}

/** One invalid setting, in the words a user needs to fix it. */
export interface SettingProblem {
  readonly setting: string;
  /** The value as given, or undefined when the problem is a missing value. */
  readonly value?: string;
  readonly source?: SettingSource;
  /** What is allowed, as a sentence fragment: "must be ...". */
  readonly problem: string;
  readonly fix: string;
}

export interface SettingWarning {
  readonly setting: string;
  readonly message: string;
}

export type SettingSource = "environment" | typeof SETTINGS_FILE;

/** Optional file in the project root; environment variables win over it. */
export const SETTINGS_FILE = "lab.settings.json";

/** The opt-out value of LAB_NOTEBOOK_SHA256 for an archive the user cannot pin. */
export const UNVERIFIED = "unverified";

export const SETTING_NAMES = [
  "LAB_NAME",
  "LAB_LOCATION",
  "LAB_VARIANT",
  "LAB_SKU",
  "LAB_NODE_TYPE",
  "LAB_WORKERS",
  "LAB_RUNTIME",
  "LAB_AUTOTERMINATION_MINUTES",
  "LAB_MAX_AUTOTERMINATION_MINUTES",
  "LAB_NOTEBOOK_LANGUAGE",
  "LAB_NOTEBOOK_URL",
  "LAB_NOTEBOOK_SHA256",
  "LAB_NOTEBOOK_FILE",
  "LAB_SUBSCRIPTION_ID",
  "LAB_CACHE_DIR",
  "LAB_CURRENCY",
  "LAB_PRICES_API_URL",
  "LAB_DBU_PER_HOUR",
] as const;

export type SettingName = (typeof SETTING_NAMES)[number];

export const DEFAULT_NAME = "dp090-ddl";
export const DEFAULT_LOCATION = "eastus";
export const WORKERS_RANGE = { min: 1, max: 20 } as const;
export const AUTOTERMINATION_RANGE = { min: 10, max: 10000 } as const;
export const DEFAULT_AUTOTERMINATION_MINUTES = 120;
/** A forgotten lab cluster should not idle longer than a working afternoon. */
export const DEFAULT_MAX_AUTOTERMINATION_MINUTES = 240;
export const DEFAULT_PRICES_API_URL = "https://prices.azure.com/api/retail/prices";
/** The currencies the Azure Retail Prices API answers in. */
export const PRICE_CURRENCIES = ["USD", "AUD", "BRL", "CAD", "CHF", "CNY", "DKK", "EUR", "GBP", "INR", "JPY", "KRW", "NOK", "NZD", "RUB", "SEK", "TWD"];
/** HorovodRunner(np=2) in the lab's notebook. */
export const HOROVOD_PROCESSES = 2;

export class SettingsError extends Error {
  constructor(public readonly problems: readonly SettingProblem[]) {
    super(formatProblems(problems));
    this.name = "SettingsError";
  }
}

export function formatProblems(problems: readonly SettingProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = [`The lab settings have ${count}; nothing was synthesized or created.`];
  for (const p of problems) {
    const subject =
      p.setting === SETTINGS_FILE
        ? p.setting
        : p.value === undefined
          ? `${p.setting} is not set`
          : `${p.setting} = ${JSON.stringify(p.value)}${p.source ? ` (from ${p.source})` : ""}`;
    lines.push("", `  ${subject}`, `    ${p.problem}`, `    Fix: ${p.fix}`);
  }
  return lines.join("\n");
}

interface RawValue {
  readonly value: string;
  readonly source: SettingSource;
}

type RawSettings = Partial<Record<SettingName, RawValue>>;

export interface LoadOptions {
  /** Project root: where `lab.settings.json` is looked for and relative paths start. */
  readonly cwd: string;
  /**
   * Whether the pricing settings (LAB_CURRENCY, LAB_PRICES_API_URL, LAB_DBU_PER_HOUR) are checked.
   * Only the cost estimate uses them, so a stray value must not stop a synth, a deploy or a destroy.
   * @default false
   */
  readonly pricing?: boolean;
}

/**
 * Reads, defaults and validates the settings. Throws a `SettingsError` listing every problem;
 * returns warnings for choices that work but deserve a second look.
 */
export function loadSettings(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadOptions,
): { settings: LabSettings; warnings: SettingWarning[] } {
  const problems: SettingProblem[] = [];
  const warnings: SettingWarning[] = [];
  const raw: RawSettings = { ...readSettingsFile(options.cwd, problems) };
  for (const name of SETTING_NAMES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") raw[name] = { value: value.trim(), source: "environment" };
  }
  warnings.push(...unknownEnvironmentSettings(env));

  const report = (setting: SettingName, problem: string, fix: string) =>
    problems.push({ setting, value: raw[setting]?.value, source: raw[setting]?.source, problem, fix });

  const name = raw.LAB_NAME?.value ?? DEFAULT_NAME;
  if (!/^[a-z0-9-]{3,40}$/.test(name) || name.startsWith("-") || name.endsWith("-")) {
    report(
      "LAB_NAME",
      "must be 3 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit (it names the stack and every Azure resource).",
      `set LAB_NAME to something like "${suggestName(name)}".`,
    );
  }

  const location = normalizeRegion(raw.LAB_LOCATION?.value ?? DEFAULT_LOCATION);
  if (!isDatabricksRegion(location)) {
    report(
      "LAB_LOCATION",
      "must be an Azure region that offers Azure Databricks (ARM name like eastus, or display name like \"Japan East\").",
      `use one of the closest: ${closestRegions(location).join(", ")}.`,
    );
  }

  const variant = (raw.LAB_VARIANT?.value ?? "cpu").toLowerCase();
  const flavor = ClusterFlavor.of(variant);
  if (!flavor) {
    report("LAB_VARIANT", "must be cpu or gpu.", "set LAB_VARIANT=cpu (cheaper, the lab's default) or LAB_VARIANT=gpu.");
  }

  const skuValue = (raw.LAB_SKU?.value ?? "premium").toLowerCase();
  if (skuValue === "standard") {
    report(
      "LAB_SKU",
      "standard is retired: Azure Databricks refuses new Standard-tier workspaces since 2026-04-01 (retired 2026-10-01, existing ones moved to Premium).",
      "set LAB_SKU=premium (or trial for a 14-day free Premium trial).",
    );
  } else if (skuValue !== "premium" && skuValue !== "trial") {
    report("LAB_SKU", "must be premium or trial.", "set LAB_SKU=premium.");
  }

  const nodeType = canonicalNodeType(raw.LAB_NODE_TYPE?.value ?? (flavor ?? ClusterFlavor.CPU).defaultNodeType);
  const retirement = retirementOf(nodeType);
  const nodeFix = flavor
    ? `set LAB_NODE_TYPE=${flavor.defaultNodeType} (the ${flavor.name} default) or unset it.`
    : "set LAB_NODE_TYPE to an Azure VM size such as Standard_DS3_v2.";
  if (!VM_SIZE_PATTERN.test(nodeType)) {
    report("LAB_NODE_TYPE", "must be an Azure VM size name such as Standard_DS3_v2.", nodeFix);
  } else if (retirement) {
    report(
      "LAB_NODE_TYPE",
      `is a retired GPU size: the ${retirement.series} series was retired on ${retirement.retired} and can no longer be deployed.`,
      `set LAB_NODE_TYPE=${ClusterFlavor.GPU.defaultNodeType} (NCasT4_v3, 1 T4 GPU) or another current GPU size (NC_A100_v4, NCads_H100_v5, NVadsA10_v5).`,
    );
  } else if (flavor?.isGpu && !isGpuSize(nodeType)) {
    report("LAB_NODE_TYPE", "must be a GPU VM size (N-series) for LAB_VARIANT=gpu.", nodeFix);
  } else if (flavor && !flavor.isGpu && isGpuSize(nodeType)) {
    report(
      "LAB_NODE_TYPE",
      "must be a non-GPU VM size for LAB_VARIANT=cpu (a GPU size needs a -gpu-ml- runtime).",
      `${nodeFix.replace(/\.$/, "")}, or set LAB_VARIANT=gpu.`,
    );
  }

  const workersDefault = (flavor ?? ClusterFlavor.CPU).defaultWorkers;
  const workers = parseInteger(raw.LAB_WORKERS?.value, workersDefault, WORKERS_RANGE);
  if (workers === undefined) {
    report(
      "LAB_WORKERS",
      `must be a whole number from ${WORKERS_RANGE.min} to ${WORKERS_RANGE.max}.`,
      `set LAB_WORKERS=${workersDefault} (the ${flavor?.name ?? "cpu"} default) or another number in range.`,
    );
  } else if (flavor) {
    const size = findVmSize(nodeType);
    if (!size) {
      warnings.push({
        setting: "LAB_NODE_TYPE",
        message: `${nodeType} is not in the lab's size table, so whether ${workers} worker(s) give the notebook's HorovodRunner(np=${HOROVOD_PROCESSES}) enough ${flavor.slotUnit}s was not checked.`,
      });
    } else if (flavor.taskSlots(size, workers) < HOROVOD_PROCESSES) {
      warnings.push({
        setting: "LAB_WORKERS",
        message: `${workers} x ${size.name} give ${flavor.taskSlots(size, workers)} ${flavor.slotUnit} task slot(s); the notebook's HorovodRunner(np=${HOROVOD_PROCESSES}) needs ${HOROVOD_PROCESSES} and will wait for them. Add workers or pick a larger size.`,
      });
    }
  }

  const runtimeKey = raw.LAB_RUNTIME?.value ?? (flavor ?? ClusterFlavor.CPU).defaultRuntimeKey;
  const runtime = parseMlRuntime(runtimeKey);
  const runtimeFix = `set LAB_RUNTIME=${(flavor ?? ClusterFlavor.CPU).defaultRuntimeKey} (15.4 LTS ML, the last with HorovodRunner) or unset it.`;
  if (!runtime) {
    report("LAB_RUNTIME", "must be a Databricks ML runtime key like 15.4.x-cpu-ml-scala2.12 (the lab needs an ML runtime).", runtimeFix);
  } else {
    const wrong: string[] = [];
    if (flavor && runtime.accelerator !== flavor.name) wrong.push(`be a -${flavor.name}-ml- runtime for LAB_VARIANT=${flavor.name}`);
    if (!hasSparkAbove30(runtime)) wrong.push("ship Spark newer than 3.0 (runtime 8.0 or later)");
    if (!hasScalaAbove211(runtime)) wrong.push("use Scala newer than 2.11");
    if (wrong.length > 0) report("LAB_RUNTIME", `must ${wrong.join(" and ")}.`, runtimeFix);
    else if (isNewerThanHorovodRuntime(runtime)) {
      warnings.push({
        setting: "LAB_RUNTIME",
        message: `${runtimeKey} is newer than 15.4 LTS ML: Databricks Runtime 16.0 ML and later no longer ship HorovodRunner, so the lab's notebook ("from sparkdl import HorovodRunner") fails on it. Port the notebook to TorchDistributor, or use 15.4.x-${runtime.accelerator}-ml-scala2.12.`,
      });
    }
  }

  const maxAutotermination = parseInteger(
    raw.LAB_MAX_AUTOTERMINATION_MINUTES?.value,
    DEFAULT_MAX_AUTOTERMINATION_MINUTES,
    AUTOTERMINATION_RANGE,
  );
  if (maxAutotermination === undefined) {
    report(
      "LAB_MAX_AUTOTERMINATION_MINUTES",
      `must be a whole number of minutes from ${AUTOTERMINATION_RANGE.min} to ${AUTOTERMINATION_RANGE.max}.`,
      `unset it (the policy's limit is ${DEFAULT_MAX_AUTOTERMINATION_MINUTES} minutes) or set a number in range.`,
    );
  }
  const autotermination = parseInteger(raw.LAB_AUTOTERMINATION_MINUTES?.value, DEFAULT_AUTOTERMINATION_MINUTES, AUTOTERMINATION_RANGE);
  if (autotermination === undefined) {
    report(
      "LAB_AUTOTERMINATION_MINUTES",
      `must be a whole number of minutes from ${AUTOTERMINATION_RANGE.min} to ${AUTOTERMINATION_RANGE.max} (an idle lab cluster must stop by itself).`,
      `set LAB_AUTOTERMINATION_MINUTES=${DEFAULT_AUTOTERMINATION_MINUTES} (the lab's value).`,
    );
  } else if (maxAutotermination !== undefined && autotermination > maxAutotermination) {
    report(
      "LAB_AUTOTERMINATION_MINUTES",
      `must be at most ${maxAutotermination} minutes, the cost policy's limit (an idle cluster bills VMs and DBUs).`,
      `lower it, or raise the limit on purpose with LAB_MAX_AUTOTERMINATION_MINUTES=${autotermination}.`,
    );
  }

  const language = (raw.LAB_NOTEBOOK_LANGUAGE?.value ?? "en").toLowerCase() as NotebookLanguage;
  if (!NOTEBOOK_LANGUAGES.includes(language)) {
    report("LAB_NOTEBOOK_LANGUAGE", "must be en or ja.", "set LAB_NOTEBOOK_LANGUAGE=en (or ja for the Japanese translation).");
  }

  const notebook = resolveNotebookSource(raw, NOTEBOOK_LANGUAGES.includes(language) ? language : "en", options, report, warnings);

  const subscriptionId = raw.LAB_SUBSCRIPTION_ID?.value.toLowerCase();
  if (subscriptionId !== undefined && !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(subscriptionId)) {
    report(
      "LAB_SUBSCRIPTION_ID",
      "must be an Azure subscription id (a GUID like 00000000-0000-0000-0000-000000000000).",
      "copy it from `az account show --query id -o tsv`, or unset it and export ARM_SUBSCRIPTION_ID instead.",
    );
  }

  const pricing = readPricing(raw, options.pricing ? report : () => undefined);

  if (problems.length > 0 || !flavor || !notebook) throw new SettingsError(problems);

  const cacheDir = raw.LAB_CACHE_DIR ? resolve(options.cwd, raw.LAB_CACHE_DIR.value) : join(options.cwd, ".cache");
  return {
    settings: {
      name,
      location,
      flavor,
      sku: skuValue as WorkspaceSku,
      nodeType,
      workers: workers!,
      runtime: runtimeKey,
      autoterminationMinutes: autotermination!,
      maxAutoterminationMinutes: maxAutotermination!,
      notebookLanguage: language,
      notebook,
      subscriptionId,
      cacheDir,
      pricing,
    },
    warnings,
  };
}

function readPricing(raw: RawSettings, report: (setting: SettingName, problem: string, fix: string) => void): PricingSettings {
  const currency = (raw.LAB_CURRENCY?.value ?? "USD").toUpperCase();
  if (!PRICE_CURRENCIES.includes(currency)) {
    report("LAB_CURRENCY", `must be a currency the Azure Retail Prices API answers in: ${PRICE_CURRENCIES.join(", ")}.`, "set LAB_CURRENCY=USD (list prices; the others are reference prices).");
  }
  const apiUrl = raw.LAB_PRICES_API_URL?.value ?? DEFAULT_PRICES_API_URL;
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) {
    report("LAB_PRICES_API_URL", "must be an http(s) URL.", `unset it to use ${DEFAULT_PRICES_API_URL}.`);
  }
  let dbuPerHour: number | undefined;
  if (raw.LAB_DBU_PER_HOUR) {
    dbuPerHour = parsePositiveNumber(raw.LAB_DBU_PER_HOUR.value, 1000);
    if (dbuPerHour === undefined) {
      report(
        "LAB_DBU_PER_HOUR",
        "must be a positive number of DBUs per hour per node (for example 0.75), at most 1000.",
        "read it from the instance table of the Azure Databricks pricing page (all-purpose compute), or unset it.",
      );
    }
  }
  return { currency, apiUrl, dbuPerHour };
}

function resolveNotebookSource(
  raw: RawSettings,
  language: NotebookLanguage,
  options: LoadOptions,
  report: (setting: SettingName, problem: string, fix: string) => void,
  warnings: SettingWarning[],
): NotebookSource | undefined {
  const shaValue = raw.LAB_NOTEBOOK_SHA256?.value.toLowerCase();
  const unverified = shaValue === UNVERIFIED;
  let sha256: string | undefined;
  let shaValid = true;
  if (shaValue !== undefined && !unverified) {
    if (/^[0-9a-f]{64}$/.test(shaValue)) sha256 = shaValue;
    else {
      shaValid = false;
      report(
        "LAB_NOTEBOOK_SHA256",
        `must be 64 hexadecimal characters (a sha256 sum), or "${UNVERIFIED}" to skip the check.`,
        "compute it with `sha256sum <file>.dbc`, or unset it to use the known sum of the default archive.",
      );
    }
  }

  if (raw.LAB_NOTEBOOK_FILE) {
    const file = isAbsolute(raw.LAB_NOTEBOOK_FILE.value)
      ? raw.LAB_NOTEBOOK_FILE.value
      : resolve(options.cwd, raw.LAB_NOTEBOOK_FILE.value);
    if ((!existsSync(file) || !statSync(file).isFile()) && sha256 === undefined) {
      report(
        "LAB_NOTEBOOK_FILE",
        `must be an existing .dbc file; nothing is at ${file}.`,
        "check the path (relative paths start at the project root), or unset LAB_NOTEBOOK_FILE to download the lab's archive. With LAB_NOTEBOOK_SHA256 set, a copy cached by an earlier synth is used instead.",
      );
      return undefined;
    }
    if (raw.LAB_NOTEBOOK_URL) {
      warnings.push({ setting: "LAB_NOTEBOOK_URL", message: "ignored: LAB_NOTEBOOK_FILE is set and is imported instead." });
    }
    return shaValid ? { kind: "file", file, sha256 } : undefined;
  }

  const lab = defaultArchive(language);
  if (!raw.LAB_NOTEBOOK_URL) {
    if (unverified) warnings.push(unverifiedWarning(lab.urls[0]));
    return shaValid ? { kind: "download", urls: lab.urls, sha256: unverified ? undefined : (sha256 ?? lab.sha256) } : undefined;
  }

  const given = raw.LAB_NOTEBOOK_URL.value;
  let url: URL | undefined;
  try {
    url = new URL(toDownloadUrl(given));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    report(
      "LAB_NOTEBOOK_URL",
      "must be an http(s) URL of a .dbc archive.",
      "use a URL such as https://github.com/<owner>/<repo>/raw/<branch>/<file>.dbc, or unset it for the lab's archive.",
    );
    return undefined;
  }
  const download = url.toString();
  const known = knownSumForUrl(download);
  const urls = lab.urls.includes(download) ? lab.urls : [download];
  if (unverified) {
    warnings.push(unverifiedWarning(download));
    return { kind: "download", urls, sha256: undefined };
  }
  if (sha256 === undefined && shaValid) {
    if (known) return { kind: "download", urls, sha256: known };
    report(
      "LAB_NOTEBOOK_SHA256",
      "must be set when LAB_NOTEBOOK_URL points at an archive the lab does not know: the sum is what proves the download is the file you meant.",
      `download it once, run \`sha256sum <file>.dbc\` and set LAB_NOTEBOOK_SHA256 to the result, or set LAB_NOTEBOOK_SHA256=${UNVERIFIED} to skip the check.`,
    );
    return undefined;
  }
  return shaValid ? { kind: "download", urls, sha256 } : undefined;
}

function unverifiedWarning(url: string): SettingWarning {
  return {
    setting: "LAB_NOTEBOOK_SHA256",
    message: `"${UNVERIFIED}": the archive from ${redactUrl(url)} is not checked against a sum and is downloaded again on every synth.`,
  };
}

function readSettingsFile(cwd: string, problems: SettingProblem[]): RawSettings {
  const path = join(cwd, SETTINGS_FILE);
  if (!existsSync(path)) return {};
  const fail = (problem: string, fix: string, setting: string = SETTINGS_FILE, value?: string) => {
    problems.push({ setting, value, source: SETTINGS_FILE, problem, fix });
    return {};
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    return fail(`must be valid JSON (${(e as Error).message}).`, `fix the syntax of ${path}, or delete it.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail("must be a JSON object of settings, like {\"LAB_VARIANT\": \"gpu\"}.", `rewrite ${path} as an object.`);
  }
  const raw: RawSettings = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(SETTING_NAMES as readonly string[]).includes(key)) {
      fail(
        "is not a lab setting.",
        `use one of ${SETTING_NAMES.join(", ")}${nearestName(key) ? ` (did you mean ${nearestName(key)}?)` : ""}.`,
        key,
        JSON.stringify(value),
      );
    } else if (typeof value === "string" || typeof value === "number") {
      // Empty means unset, as for an empty environment variable.
      if (String(value).trim() !== "") raw[key as SettingName] = { value: String(value).trim(), source: SETTINGS_FILE };
    } else {
      fail("must be a string or a number.", `write "${key}": "<value>" in ${SETTINGS_FILE}.`, key, JSON.stringify(value));
    }
  }
  return raw;
}

/** A LAB_* variable that is not a setting is most likely a typo of one. */
function unknownEnvironmentSettings(env: Readonly<Record<string, string | undefined>>): SettingWarning[] {
  return Object.keys(env)
    .filter((key) => key.startsWith("LAB_") && !(SETTING_NAMES as readonly string[]).includes(key))
    .sort()
    .map((key) => ({
      setting: key,
      message: `is not a lab setting and is ignored${nearestName(key) ? `; did you mean ${nearestName(key)}?` : "."}`,
    }));
}


function nearestName(key: string): string | undefined {
  const best = [...SETTING_NAMES].sort((a, b) => distance(key, a) - distance(key, b))[0];
  return distance(key, best) <= 3 ? best : undefined;
}

/** A plain decimal number above 0 and at most `max` (no sign, no exponent), or undefined. */
export function parsePositiveNumber(text: string, max: number): number | undefined {
  const value = Number(text);
  return /^\d+(\.\d+)?$/.test(text) && value > 0 && value <= max ? value : undefined;
}

/** The whole number given (or the default), or undefined when it is not one or out of range. */
function parseInteger(value: string | undefined, fallback: number, range: { min: number; max: number }): number | undefined {
  const n = value === undefined ? fallback : /^\d+$/.test(value) ? Number(value) : undefined;
  return n !== undefined && n >= range.min && n <= range.max ? n : undefined;
}

function canonicalNodeType(value: string): string {
  return findVmSize(value)?.name ?? value;
}

function suggestName(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return cleaned.length >= 3 ? cleaned : DEFAULT_NAME;
}
