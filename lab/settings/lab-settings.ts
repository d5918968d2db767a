import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { LabVariant } from "../catalog/lab-variant";
import {
  AUTOTERMINATION_RANGE,
  DEFAULT_AUTOTERMINATION_MINUTES,
  DEFAULT_MAX_AUTOTERMINATION_MINUTES,
  DEFAULT_MAX_TOKEN_LIFETIME_DAYS,
  TOKEN_LIFETIME_DAYS_RANGE,
  WORKERS_RANGE,
} from "../catalog/limits";
import { rangeProblem } from "../catalog/ip-ranges";
import { MAX_LISTED, listCapped } from "../errors";
import { closestRegions, isDatabricksRegion, normalizeRegion } from "../catalog/regions";
import {
  HOROVOD_RUNTIME,
  hasScalaAbove211,
  hasSparkAbove30,
  horovodRuntimeKey,
  isNewerThanHorovodRuntime,
  parseMlRuntime,
} from "../catalog/runtimes";
import { VM_SIZE_PATTERN, findVmSize, findVmSizeLike } from "../catalog/vm-sizes";
import { WORKSPACE_SKUS, WorkspaceSku } from "../catalog/workspace-skus";
import {
  code,
  variantOrDefault,
  invalid,
  parseInteger,
  perVariant,
  setting,
  valid,
  variantSetting,
} from "./declaration";

export const DEFAULT_NAME = "dp090-ddl";
export const DEFAULT_LOCATION = "eastus";

/**
 * The settings of the lab itself, one declaration each, in the order the README lists them.
 * Adding a setting: a declaration here (or in notebook-source.ts / pricing.ts) and a README row.
 */
export const LAB_SETTINGS = {
  name: setting({
    env: "LAB_NAME",
    scope: "lab",
    readByDestroy: true,
    documentedDefault: code(DEFAULT_NAME),
    parse(raw) {
      const name = raw ?? DEFAULT_NAME;
      if (/^[a-z0-9-]{3,40}$/.test(name) && !name.startsWith("-") && !name.endsWith("-")) return valid(name);
      return invalid(
        "must be 3 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit (it names the stack and every Azure resource).",
        `set LAB_NAME to something like "${suggestName(name)}".`,
      );
    },
  }),

  location: setting({
    env: "LAB_LOCATION",
    scope: "lab",
    documentedDefault: code(DEFAULT_LOCATION),
    parse(raw) {
      const location = normalizeRegion(raw ?? DEFAULT_LOCATION);
      if (isDatabricksRegion(location)) return valid(location);
      return invalid(
        'must be an Azure region that offers Azure Databricks (ARM name like eastus, or display name like "Japan East").',
        `use one of the closest: ${closestRegions(location).join(", ")}.`,
      );
    },
  }),

  variant: setting({
    env: "LAB_VARIANT",
    scope: "lab",
    documentedDefault: code(LabVariant.CPU.name),
    parse(raw) {
      const variant = LabVariant.of((raw ?? LabVariant.CPU.name).toLowerCase());
      if (variant) return valid(variant);
      return invalid("must be cpu or gpu.", "set LAB_VARIANT=cpu (cheaper, the lab's default) or LAB_VARIANT=gpu.");
    },
  }),

  sku: setting({
    env: "LAB_SKU",
    scope: "lab",
    documentedDefault: code("premium"),
    parse(raw) {
      const sku = (raw ?? "premium").toLowerCase();
      if ((WORKSPACE_SKUS as readonly string[]).includes(sku)) return valid(sku as WorkspaceSku);
      if (sku === "standard") {
        return invalid(
          "standard is retired: Azure Databricks refuses new Standard-tier workspaces since 2026-04-01 (retired 2026-10-01, existing ones moved to Premium).",
          "set LAB_SKU=premium (or trial for a 14-day free Premium trial).",
        );
      }
      return invalid("must be premium or trial.", "set LAB_SKU=premium.");
    },
  }),

  nodeType: variantSetting({
    env: "LAB_NODE_TYPE",
    scope: "lab",
    documentedDefault: perVariant((f) => f.defaultNodeType),
    parse(raw, context) {
      const given = raw ?? variantOrDefault(context).defaultNodeType;
      const size = findVmSize(given);
      // A known size is written the way Databricks spells it, whatever the case it was given in.
      const name = size?.name ?? given;
      const meant = size ? undefined : findVmSizeLike(name);
      if (meant) {
        // Azure would refuse it only after the workspace exists: a misplaced underscore is no new size.
        return invalid(
          `is not an Azure VM size; it differs from ${meant.name} only in its separators.`,
          `set LAB_NODE_TYPE=${meant.name}.`,
        );
      }
      if (!VM_SIZE_PATTERN.test(name)) {
        return invalid("must be an Azure VM size name such as Standard_DS3_v2.", nodeTypeFix(context.variant));
      }
      if (size?.retired) {
        return invalid(
          `is a retired GPU size: the ${size.series} series was retired on ${size.retired} and can no longer be deployed.`,
          `set LAB_NODE_TYPE=${LabVariant.GPU.defaultNodeType} (NCasT4_v3, 1 T4 GPU) or another current GPU size (NC_A100_v4, NCads_H100_v5, NVadsA10_v5).`,
        );
      }
      return valid(name);
    },
  }),

  workers: variantSetting({
    env: "LAB_WORKERS",
    scope: "lab",
    documentedDefault: perVariant((f) => f.defaultWorkers),
    parse(raw, context) {
      const fallback = variantOrDefault(context).defaultWorkers;
      const workers = parseInteger(raw, fallback, WORKERS_RANGE);
      if (workers !== undefined) return valid(workers);
      return invalid(
        `must be a whole number from ${WORKERS_RANGE.min} to ${WORKERS_RANGE.max}.`,
        `set LAB_WORKERS=${fallback} (the ${variantOrDefault(context).name} default) or another number in range.`,
      );
    },
  }),

  runtime: variantSetting({
    env: "LAB_RUNTIME",
    scope: "lab",
    documentedDefault: perVariant((f) => f.defaultRuntimeKey),
    parse(raw, context) {
      const key = raw ?? variantOrDefault(context).defaultRuntimeKey;
      const fix = `set LAB_RUNTIME=${variantOrDefault(context).defaultRuntimeKey} (${HOROVOD_RUNTIME.label}, the last with HorovodRunner) or unset it.`;
      const runtime = parseMlRuntime(key);
      if (!runtime) {
        return invalid(
          "must be a Databricks ML runtime key like 15.4.x-cpu-ml-scala2.12 (the lab needs an ML runtime).",
          fix,
        );
      }
      const { variant } = context;
      const wrong: string[] = [];
      // The variant decides the runtime's build as much as its default: a GPU runtime needs GPU nodes.
      if (variant && runtime.accelerator !== variant.name)
        wrong.push(`be a -${variant.name}-ml- runtime for LAB_VARIANT=${variant.name}`);
      if (!hasSparkAbove30(runtime)) wrong.push("ship Spark newer than 3.0 (runtime 8.0 or later)");
      if (!hasScalaAbove211(runtime)) wrong.push("use Scala newer than 2.11");
      if (wrong.length > 0) return invalid(`must ${wrong.join(" and ")}.`, fix);
      if (!isNewerThanHorovodRuntime(runtime)) return valid(key);
      return valid(
        key,
        `${key} is newer than ${HOROVOD_RUNTIME.label}: Databricks Runtime ${HOROVOD_RUNTIME.major + 1}.0 ML and later no longer ship HorovodRunner, so the lab's notebook ("from sparkdl import HorovodRunner") fails on it. Port the notebook to TorchDistributor, or use ${horovodRuntimeKey(runtime.accelerator)}.`,
      );
    },
  }),

  autoterminationMinutes: setting({
    env: "LAB_AUTOTERMINATION_MINUTES",
    scope: "lab",
    documentedDefault: code(DEFAULT_AUTOTERMINATION_MINUTES),
    parse(raw) {
      const minutes = parseInteger(raw, DEFAULT_AUTOTERMINATION_MINUTES, AUTOTERMINATION_RANGE);
      if (minutes !== undefined) return valid(minutes);
      return invalid(
        `must be a whole number of minutes from ${AUTOTERMINATION_RANGE.min} to ${AUTOTERMINATION_RANGE.max} (an idle lab cluster must stop by itself).`,
        `set LAB_AUTOTERMINATION_MINUTES=${DEFAULT_AUTOTERMINATION_MINUTES} (the lab's value).`,
      );
    },
  }),

  maxAutoterminationMinutes: setting({
    env: "LAB_MAX_AUTOTERMINATION_MINUTES",
    scope: "lab",
    documentedDefault: code(DEFAULT_MAX_AUTOTERMINATION_MINUTES),
    parse(raw) {
      const minutes = parseInteger(raw, DEFAULT_MAX_AUTOTERMINATION_MINUTES, AUTOTERMINATION_RANGE);
      if (minutes !== undefined) return valid(minutes);
      return invalid(
        `must be a whole number of minutes from ${AUTOTERMINATION_RANGE.min} to ${AUTOTERMINATION_RANGE.max}.`,
        `unset it (the policy's limit is ${DEFAULT_MAX_AUTOTERMINATION_MINUTES} minutes) or set a number in range.`,
      );
    },
  }),

  allowedIpRanges: setting({
    env: "LAB_ALLOWED_IP_RANGES",
    scope: "lab",
    documentedDefault: "unset",
    parse(raw) {
      if (raw === undefined) return valid<readonly string[] | undefined>(undefined);
      const entries = raw.split(",").map((entry) => entry.trim());
      const wrong = entries.map((entry) => rangeProblem(entry)).filter((p): p is string => p !== undefined);
      if (wrong.length === 0) return valid<readonly string[] | undefined>([...new Set(entries)]);
      return invalid(
        `must be public IPv4 addresses or CIDR ranges, separated by commas; ${listCapped(wrong, MAX_LISTED, "; ")}.`,
        "list the public egress addresses of the classroom and of the machine that deploys (https://api.ipify.org shows yours), or unset it to allow every address. A list without the deploying machine's address locks Terraform itself out of the workspace.",
      );
    },
  }),

  maxTokenLifetimeDays: setting({
    env: "LAB_MAX_TOKEN_LIFETIME_DAYS",
    scope: "lab",
    documentedDefault: code(DEFAULT_MAX_TOKEN_LIFETIME_DAYS),
    parse(raw) {
      const days = parseInteger(raw, DEFAULT_MAX_TOKEN_LIFETIME_DAYS, TOKEN_LIFETIME_DAYS_RANGE);
      if (days !== undefined) return valid(days);
      return invalid(
        `must be a whole number of days from ${TOKEN_LIFETIME_DAYS_RANGE.min} to ${TOKEN_LIFETIME_DAYS_RANGE.max} (the workspace's limit for new personal access tokens).`,
        `set LAB_MAX_TOKEN_LIFETIME_DAYS=${DEFAULT_MAX_TOKEN_LIFETIME_DAYS} (a week: tokens made during a class stop working after it).`,
      );
    },
  }),
};

/** Settings about where the lab runs from rather than what it is; listed after the notebook's. */
export const ENVIRONMENT_SETTINGS = {
  subscriptionId: setting({
    env: "LAB_SUBSCRIPTION_ID",
    scope: "lab",
    readByDestroy: true,
    documentedDefault: "unset",
    parse(raw) {
      const id = raw?.toLowerCase();
      if (id === undefined || /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(id)) return valid(id);
      return invalid(
        "must be an Azure subscription id (a GUID like 00000000-0000-0000-0000-000000000000).",
        "copy it from `az account show --query id -o tsv`, or unset it and export ARM_SUBSCRIPTION_ID instead.",
      );
    },
  }),

  cacheDir: setting({
    env: "LAB_CACHE_DIR",
    scope: "lab",
    documentedDefault: code(".cache"),
    parse(raw, context) {
      const dir = raw === undefined ? join(context.cwd, ".cache") : resolve(context.cwd, raw);
      const file = fileInTheWay(dir);
      if (file === undefined) return valid(dir);
      return invalid(
        `must be a folder, or a path where one can be made; ${file === dir ? `${dir} is a file` : `${file}, on its path, is a file`}.`,
        "point LAB_CACHE_DIR at a folder (it is made when missing), or unset it to use .cache in the project folder.",
      );
    },
  }),
};

/** The fix for a node type that does not fit the variant (or is no size at all). */
export function nodeTypeFix(variant: LabVariant | undefined): string {
  return variant
    ? `set LAB_NODE_TYPE=${variant.defaultNodeType} (the ${variant.name} default) or unset it.`
    : "set LAB_NODE_TYPE to an Azure VM size such as Standard_DS3_v2.";
}

/** The file that stops a folder being made at `dir` (itself or an ancestor), if there is one. */
function fileInTheWay(dir: string): string | undefined {
  for (let path = dir; ; path = dirname(path)) {
    if (existsSync(path)) return statSync(path).isDirectory() ? undefined : path;
    if (dirname(path) === path) return undefined;
  }
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
