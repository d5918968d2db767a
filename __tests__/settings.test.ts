import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_LISTED } from "../lab/errors";
import { LabVariant } from "../lab/catalog/lab-variant";
import { defaultArchive } from "../lab/catalog/course-archives";
import { ALL_SETTINGS, CROSS_RULES, LabSettings, SettingsError, SettingWarning, loadSettings } from "../lab/settings";
import { makeDbc, tempDir, writeTemp } from "./helpers/dbc";

let cwd: string;
beforeEach(() => {
  cwd = tempDir("settings-");
});

function load(env: Record<string, string | undefined>): { settings: LabSettings; warnings: SettingWarning[] } {
  return loadSettings(env, { cwd, pricing: true });
}

function problemsOf(env: Record<string, string>): SettingsError {
  try {
    load(env);
  } catch (e) {
    if (e instanceof SettingsError) return e;
    throw e;
  }
  throw new Error("expected a SettingsError");
}

const EN_SUM = "e7d0735b4e1b8fcf83dd6272b2c8f1ea06a3a19ac1977478b1fdd8baa1eae0f5";
const JA_SUM = "8a3cde2346abc083c32d49887433b8b470ac96bd16535a0351f66a1dc3e438d8";

describe("defaults", () => {
  test("reproduce today's lab: premium, 15.4 LTS ML on one DS3_v2 worker, 120 minutes, English archive", () => {
    const { settings, warnings } = load({});
    expect(settings.name).toBe("dp090-ddl");
    expect(settings.location).toBe("eastus");
    expect(settings.variant).toBe(LabVariant.CPU);
    expect(settings.sku).toBe("premium");
    expect(settings.nodeType).toBe("Standard_DS3_v2");
    expect(settings.workers).toBe(1);
    expect(settings.runtime).toBe("15.4.x-cpu-ml-scala2.12");
    expect(settings.autoterminationMinutes).toBe(120);
    expect(settings.notebookLanguage).toBe("en");
    expect(settings.notebook).toEqual({
      kind: "download",
      urls: [
        "https://github.com/MicrosoftLearning/dp-090-databricks-ml/raw/madiepev-add-modules/06%20-%20Distributed%20Deep%20Learning.dbc",
        "https://github.com/MicrosoftLearning/dp-090-databricks-ml/raw/master/06%20-%20Distributed%20Deep%20Learning.dbc",
        "https://github.com/MicrosoftLearning/dp-090-databricks-ml/raw/2f992019959e46ec97aef5fb598e178bcc6b1825/06%20-%20Distributed%20Deep%20Learning.dbc",
      ],
      sha256: EN_SUM,
    });
    expect(settings.cacheDir).toBe(join(cwd, ".cache"));
    expect(settings.pricing).toEqual({
      currency: "USD",
      apiUrl: "https://prices.azure.com/api/retail/prices",
      dbuPerHour: undefined,
    });
    expect(settings.subscriptionId).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  test("the GPU variant defaults to two NC4as_T4_v3 workers on the 15.4 GPU ML runtime", () => {
    const { settings, warnings } = load({ LAB_VARIANT: "gpu" });
    expect(settings.variant).toBe(LabVariant.GPU);
    expect(settings.nodeType).toBe("Standard_NC4as_T4_v3");
    expect(settings.workers).toBe(2);
    expect(settings.runtime).toBe("15.4.x-gpu-ml-scala2.12");
    expect(warnings).toEqual([]);
  });

  test("Japanese notebooks come from the .ja-jp course repo with their own sum", () => {
    const { settings } = load({ LAB_NOTEBOOK_LANGUAGE: "ja" });
    expect(settings.notebook).toEqual({
      kind: "download",
      urls: [
        "https://github.com/MicrosoftLearning/dp-090-databricks-ml.ja-jp/raw/main/06%20-%20Distributed%20Deep%20Learning.dbc",
      ],
      sha256: JA_SUM,
    });
  });
});

describe("LAB_NAME", () => {
  test.each(["ab", "a".repeat(41), "DP090", "dp_090", "-dp090", "dp090-"])("rejects %j", (name) => {
    expect(() => load({ LAB_NAME: name })).toThrow(
      /LAB_NAME = ".*" \(from environment\)\n    must be 3 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit/,
    );
  });

  test("suggests a valid name derived from the one given", () => {
    expect(() => load({ LAB_NAME: "My_Lab" })).toThrow(/Fix: set LAB_NAME to something like "my-lab"/);
  });

  test("accepts 3 and 40 characters", () => {
    expect(load({ LAB_NAME: "abc" }).settings.name).toBe("abc");
    expect(load({ LAB_NAME: "a".repeat(40) }).settings.name).toBe("a".repeat(40));
  });
});

describe("LAB_LOCATION", () => {
  test.each([
    ["Japan East", "japaneast"],
    ["westeurope", "westeurope"],
    ["East US 2", "eastus2"],
  ])("accepts %j as %s", (given, expected) => {
    expect(load({ LAB_LOCATION: given }).settings.location).toBe(expected);
  });

  test("an unknown region suggests the closest valid names", () => {
    expect(() => load({ LAB_LOCATION: "japaneest" })).toThrow(
      /LAB_LOCATION = "japaneest" \(from environment\)\n    must be an Azure region that offers Azure Databricks.*\n    Fix: use one of the closest: japaneast, japanwest/,
    );
  });
});

describe("LAB_VARIANT", () => {
  test("rejects anything but cpu or gpu", () => {
    expect(() => load({ LAB_VARIANT: "tpu" })).toThrow(
      /LAB_VARIANT = "tpu" \(from environment\)\n    must be cpu or gpu\./,
    );
  });
});

describe("LAB_SKU", () => {
  test("standard explains its retirement and points to premium", () => {
    expect(() => load({ LAB_SKU: "standard" })).toThrow(
      /LAB_SKU = "standard".*\n    standard is retired: Azure Databricks refuses new Standard-tier workspaces since 2026-04-01.*\n    Fix: set LAB_SKU=premium/,
    );
  });

  test("accepts trial", () => {
    expect(load({ LAB_SKU: "trial" }).settings.sku).toBe("trial");
  });

  test("rejects an unknown tier", () => {
    expect(() => load({ LAB_SKU: "gold" })).toThrow(/LAB_SKU = "gold".*\n    must be premium or trial\./);
  });
});

describe("LAB_NODE_TYPE", () => {
  test.each([
    ["cpu", "Standard_DS3v2", "Standard_DS3_v2"],
    ["gpu", "Standard_NC4asT4_v3", "Standard_NC4as_T4_v3"],
    ["gpu", "standard_nc4as_t4v3", "Standard_NC4as_T4_v3"],
  ])("a %s size with misplaced separators (%s) is an error naming %s", (variant, given, meant) => {
    expect(problemsOf({ LAB_VARIANT: variant, LAB_NODE_TYPE: given }).problems).toEqual([
      expect.objectContaining({
        setting: "LAB_NODE_TYPE",
        problem: `is not an Azure VM size; it differs from ${meant} only in its separators.`,
        fix: `set LAB_NODE_TYPE=${meant}.`,
      }),
    ]);
  });

  test("a well-formed size the lab does not know is allowed, with a warning", () => {
    const { settings, warnings } = load({ LAB_NODE_TYPE: "Standard_D4as_v5" });
    expect(settings.nodeType).toBe("Standard_D4as_v5");
    expect(warnings).toEqual([
      { setting: "LAB_NODE_TYPE", message: expect.stringMatching(/^Standard_D4as_v5 is not in the lab's size table/) },
    ]);
  });

  test("a GPU variant needs a GPU size", () => {
    expect(() => load({ LAB_VARIANT: "gpu", LAB_NODE_TYPE: "Standard_DS3_v2" })).toThrow(
      /LAB_NODE_TYPE = "Standard_DS3_v2".*\n    must be a GPU VM size \(N-series\) for LAB_VARIANT=gpu\.\n    Fix: set LAB_NODE_TYPE=Standard_NC4as_T4_v3/,
    );
  });

  test("a CPU variant needs a non-GPU size", () => {
    expect(() => load({ LAB_NODE_TYPE: "Standard_NC4as_T4_v3" })).toThrow(
      /must be a non-GPU VM size for LAB_VARIANT=cpu.*\n    Fix: set LAB_NODE_TYPE=Standard_DS3_v2 \(the cpu default\) or unset it, or set LAB_VARIANT=gpu\./,
    );
  });

  test("NCv3, the lab era's GPU size, is refused with its retirement date", () => {
    expect(() => load({ LAB_VARIANT: "gpu", LAB_NODE_TYPE: "Standard_NC6s_v3" })).toThrow(
      /LAB_NODE_TYPE = "Standard_NC6s_v3".*\n    is a retired GPU size: the NCv3 series was retired on 2025-09-30/,
    );
  });

  test.each(["Standard_NC6", "Standard_NC12s_v2", "Standard_ND24s", "Standard_NV12"])(
    "older N-series %s is refused as retired",
    (size) => {
      expect(() => load({ LAB_VARIANT: "gpu", LAB_NODE_TYPE: size })).toThrow(
        /is a retired GPU size: the .* series was retired on 2023-09-06/,
      );
    },
  );

  test("rejects something that is not a VM size name", () => {
    expect(() => load({ LAB_NODE_TYPE: "DS3 v2" })).toThrow(
      /LAB_NODE_TYPE = "DS3 v2".*\n    must be an Azure VM size name such as Standard_DS3_v2\./,
    );
  });

  test("writes a known size the way Databricks spells it", () => {
    expect(load({ LAB_NODE_TYPE: "standard_ds4_v2" }).settings.nodeType).toBe("Standard_DS4_v2");
  });

  test("a size outside the lab's table is accepted with a warning that task slots were not checked", () => {
    const { settings, warnings } = load({ LAB_NODE_TYPE: "Standard_D32ds_v5" });
    expect(settings.nodeType).toBe("Standard_D32ds_v5");
    expect(warnings).toEqual([
      {
        setting: "LAB_NODE_TYPE",
        message: expect.stringMatching(
          /Standard_D32ds_v5 is not in the lab's size table.*HorovodRunner\(np=2\) enough vCPUs was not checked/,
        ),
      },
    ]);
  });
});

describe("LAB_WORKERS", () => {
  test.each(["0", "21", "1.5", "two", "-1"])("rejects %j", (workers) => {
    expect(() => load({ LAB_WORKERS: workers })).toThrow(
      new RegExp(`LAB_WORKERS = "${workers.replace(".", "\\.")}".*\\n    must be a whole number from 1 to 20\\.`),
    );
  });

  test("accepts 20", () => {
    expect(load({ LAB_WORKERS: "20" }).settings.workers).toBe(20);
  });

  test("one T4 worker warns that HorovodRunner(np=2) needs two GPUs", () => {
    const { warnings } = load({ LAB_VARIANT: "gpu", LAB_WORKERS: "1" });
    expect(warnings).toEqual([
      {
        setting: "LAB_WORKERS",
        message: expect.stringMatching(
          /^1 x Standard_NC4as_T4_v3 give 1 GPU task slot\(s\); the notebook's HorovodRunner\(np=2\) needs 2/,
        ),
      },
    ]);
  });

  test("one 4-core CPU worker is enough: no warning", () => {
    expect(load({ LAB_WORKERS: "1" }).warnings).toEqual([]);
  });
});

describe("LAB_RUNTIME", () => {
  test("the cpu/gpu part must match the variant", () => {
    expect(() => load({ LAB_RUNTIME: "15.4.x-gpu-ml-scala2.12" })).toThrow(
      /LAB_RUNTIME = "15.4.x-gpu-ml-scala2.12".*\n    must be a -cpu-ml- runtime for LAB_VARIANT=cpu\.\n    Fix: set LAB_RUNTIME=15.4.x-cpu-ml-scala2.12/,
    );
  });

  test("must be an ML runtime", () => {
    expect(() => load({ LAB_RUNTIME: "15.4.x-scala2.12" })).toThrow(
      /must be a Databricks ML runtime key like 15\.4\.x-cpu-ml-scala2\.12/,
    );
  });

  test("Spark 3.0 (runtime 7.x) is too old", () => {
    expect(() => load({ LAB_RUNTIME: "7.3.x-cpu-ml-scala2.12" })).toThrow(
      /must ship Spark newer than 3\.0 \(runtime 8\.0 or later\)\./,
    );
  });

  test("Scala 2.11 is too old", () => {
    expect(() => load({ LAB_RUNTIME: "9.1.x-cpu-ml-scala2.11" })).toThrow(/must use Scala newer than 2\.11\./);
  });

  test("a runtime newer than 15.4 is allowed with a warning that HorovodRunner is gone", () => {
    const { settings, warnings } = load({ LAB_RUNTIME: "17.3.x-cpu-ml-scala2.13" });
    expect(settings.runtime).toBe("17.3.x-cpu-ml-scala2.13");
    expect(warnings).toEqual([
      {
        setting: "LAB_RUNTIME",
        message: expect.stringMatching(
          /newer than 15\.4 LTS ML: Databricks Runtime 16\.0 ML and later no longer ship HorovodRunner/,
        ),
      },
    ]);
  });

  test("an older runtime with Spark > 3.0 is accepted without warning", () => {
    expect(load({ LAB_RUNTIME: "14.3.x-cpu-ml-scala2.12" }).warnings).toEqual([]);
  });
});

describe("LAB_AUTOTERMINATION_MINUTES", () => {
  test.each(["0", "9", "10001", "abc"])("rejects %j", (minutes) => {
    expect(() => load({ LAB_AUTOTERMINATION_MINUTES: minutes })).toThrow(
      /LAB_AUTOTERMINATION_MINUTES = ".*".*\n    must be a whole number of minutes from 10 to 10000/,
    );
  });

  test.each([10, 240])("accepts %i", (minutes) => {
    expect(load({ LAB_AUTOTERMINATION_MINUTES: String(minutes) }).settings.autoterminationMinutes).toBe(minutes);
  });

  test("above the cost policy's 240 minutes is refused before synth, with both ways out", () => {
    expect(() => load({ LAB_AUTOTERMINATION_MINUTES: "300" })).toThrow(
      /LAB_AUTOTERMINATION_MINUTES = "300" \(from environment\)\n    must be at most 240 minutes, the cost policy's limit.*\n    Fix: lower it, or raise the limit on purpose with LAB_MAX_AUTOTERMINATION_MINUTES=300\./,
    );
  });

  test("LAB_MAX_AUTOTERMINATION_MINUTES raises the limit up to the provider's 10000", () => {
    const { settings } = load({ LAB_AUTOTERMINATION_MINUTES: "10000", LAB_MAX_AUTOTERMINATION_MINUTES: "10000" });
    expect(settings.autoterminationMinutes).toBe(10000);
    expect(settings.maxAutoterminationMinutes).toBe(10000);
    expect(() => load({ LAB_MAX_AUTOTERMINATION_MINUTES: "5" })).toThrow(
      /LAB_MAX_AUTOTERMINATION_MINUTES = "5" \(from environment\)\n    must be a whole number of minutes from 10 to 10000\./,
    );
  });
});

describe("LAB_ALLOWED_IP_RANGES and LAB_MAX_TOKEN_LIFETIME_DAYS", () => {
  test("unset: no allow-list, tokens capped at 7 days", () => {
    const { settings } = load({});
    expect(settings.allowedIpRanges).toBeUndefined();
    expect(settings.maxTokenLifetimeDays).toBe(7);
  });

  test("take comma-separated public ranges (spaces and repeats dropped) and a lifetime in days", () => {
    const { settings } = load({
      LAB_ALLOWED_IP_RANGES: "20.50.0.0/24, 52.160.10.7,20.50.0.0/24",
      LAB_MAX_TOKEN_LIFETIME_DAYS: "30",
    });
    expect(settings.allowedIpRanges).toEqual(["20.50.0.0/24", "52.160.10.7"]);
    expect(settings.maxTokenLifetimeDays).toBe(30);
  });

  test("every bad entry is named in one problem, with the lock-out warning in the fix", () => {
    const error = problemsOf({ LAB_ALLOWED_IP_RANGES: "10.0.0.5,0.0.0.0/0,not-an-ip,20.50.0.0/24" });
    expect(error.problems).toEqual([
      {
        setting: "LAB_ALLOWED_IP_RANGES",
        value: "10.0.0.5,0.0.0.0/0,not-an-ip,20.50.0.0/24",
        source: "environment",
        problem:
          'must be public IPv4 addresses or CIDR ranges, separated by commas; "10.0.0.5" is private (RFC 1918) (10.0.0.0/8): the workspace only ever sees public addresses; "0.0.0.0/0" is too broad (4294967296 addresses; at most a /16 is allowed); "not-an-ip" is not an IPv4 address or CIDR range (like 20.50.0.7 or 20.50.0.0/24).',
        fix: "list the public egress addresses of the classroom and of the machine that deploys (https://api.ipify.org shows yours), or unset it to allow every address. A list without the deploying machine's address locks Terraform itself out of the workspace.",
      },
    ]);
  });

  test.each(["0", "731", "7.5"])("a lifetime of %s days is refused", (days) => {
    expect(problemsOf({ LAB_MAX_TOKEN_LIFETIME_DAYS: days }).problems).toEqual([
      expect.objectContaining({
        setting: "LAB_MAX_TOKEN_LIFETIME_DAYS",
        problem: "must be a whole number of days from 1 to 730 (the workspace's limit for new personal access tokens).",
      }),
    ]);
  });
});

describe("remote state settings", () => {
  test("an account turns them on; container and key default to tfstate and <LAB_NAME>.tfstate", () => {
    expect(load({ LAB_STATE_STORAGE_ACCOUNT: "stlabstate", LAB_NAME: "team-b" }).settings.remoteState).toEqual({
      storageAccount: "stlabstate",
      container: "tfstate",
      key: "team-b.tfstate",
    });
    expect(load({}).settings.remoteState).toBeUndefined();
  });

  test("a container or key without an account is ignored, with a warning each", () => {
    const { settings, warnings } = load({ LAB_STATE_CONTAINER: "states", LAB_STATE_KEY: "x.tfstate" });
    expect(settings.remoteState).toBeUndefined();
    expect(warnings).toEqual([
      {
        setting: "LAB_STATE_CONTAINER",
        message: "ignored: LAB_STATE_STORAGE_ACCOUNT is not set, so the state stays in a local file.",
      },
      {
        setting: "LAB_STATE_KEY",
        message: "ignored: LAB_STATE_STORAGE_ACCOUNT is not set, so the state stays in a local file.",
      },
    ]);
  });

  test("names Azure would refuse are refused together", () => {
    const error = problemsOf({
      LAB_STATE_STORAGE_ACCOUNT: "St_Lab",
      LAB_STATE_CONTAINER: "a--b",
      LAB_STATE_KEY: "/abs",
    });
    expect(error.problems.map((p) => [p.setting, p.problem])).toEqual([
      ["LAB_STATE_STORAGE_ACCOUNT", "must be a storage account name: 3 to 24 lowercase letters and digits."],
      [
        "LAB_STATE_CONTAINER",
        "must be a blob container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
      ],
      [
        "LAB_STATE_KEY",
        'must be a blob name: parts separated by single slashes, none of them "." or ".." (no leading slash).',
      ],
    ]);
  });

  test.each([
    ["../x.tfstate", 'parts separated by single slashes, none of them "." or ".." (no leading slash)'],
    ["labs/./x.tfstate", 'parts separated by single slashes, none of them "." or ".." (no leading slash)'],
    ["labs//x.tfstate", 'parts separated by single slashes, none of them "." or ".." (no leading slash)'],
    ["/x.tfstate", 'parts separated by single slashes, none of them "." or ".." (no leading slash)'],
    ["labs/", "not ending in a dot or a slash"],
    ["x.tfstate.", "not ending in a dot or a slash"],
    ["labs\\x.tfstate", 'no backslash ("/" separates folders)'],
    ["x\u0001.tfstate", "no control characters"],
    ["x".repeat(1025), "at most 1024 characters; it has 1025"],
    [Array(255).fill("a").join("/"), 'at most 254 "/"-separated parts; it has 255'],
  ])("LAB_STATE_KEY %j is refused: %s", (key, problem) => {
    expect(problemsOf({ LAB_STATE_KEY: key }).problems.map((p) => p.problem)).toEqual([
      `must be a blob name: ${problem}.`,
    ]);
  });

  test.each([
    "x.tfstate",
    "labs/2026/dp090-ddl.tfstate",
    "x".repeat(1024),
    Array(254).fill("a").join("/"),
    "クラス.tfstate",
  ])("LAB_STATE_KEY %j is a blob name", (key) => {
    expect(load({ LAB_STATE_KEY: key }).settings).toBeTruthy();
  });
});

describe("remote state in CI", () => {
  const deploying = (env: Record<string, string>) => loadSettings(env, { cwd, changesLab: true });
  const refusal = (env: Record<string, string>): SettingsError => {
    try {
      deploying(env);
    } catch (e) {
      if (e instanceof SettingsError) return e;
      throw e;
    }
    throw new Error("expected a SettingsError");
  };

  test.each([
    ["GitHub Actions", { GITHUB_ACTIONS: "true", CI: "true" }],
    ["CI=true", { CI: "true" }],
    ["CI=1", { CI: "1" }],
    // An undefined repository variable reaches the workflow as an empty string.
    ["an empty account", { CI: "true", LAB_STATE_STORAGE_ACCOUNT: "", LAB_STATE_RESOURCE_GROUP: "rg-state" }],
  ])("a command that changes the lab is refused without remote state in %s", (_, env) => {
    const error = refusal(env);
    expect(error.problems).toEqual([
      expect.objectContaining({
        setting: "LAB_STATE_STORAGE_ACCOUNT",
        value: undefined,
        problem: expect.stringMatching(/^must name the storage account of the lab's state in CI .*lost with it/),
        fix: expect.stringContaining(
          "define the repository variables LAB_STATE_STORAGE_ACCOUNT and LAB_STATE_RESOURCE_GROUP",
        ),
      }),
    ]);
    expect(error.message).toContain("LAB_STATE_STORAGE_ACCOUNT is not set");
  });

  test("with an account, outside CI, or for a command that changes nothing, the rule stays quiet", () => {
    expect(deploying({ CI: "true", LAB_STATE_STORAGE_ACCOUNT: "stlabstate" }).settings.remoteState).toMatchObject({
      storageAccount: "stlabstate",
    });
    expect(deploying({ CI: "false" }).settings.remoteState).toBeUndefined();
    expect(deploying({ CI: "0" }).settings.remoteState).toBeUndefined();
    expect(deploying({}).settings.remoteState).toBeUndefined();
    expect(loadSettings({ CI: "true" }, { cwd }).settings.remoteState).toBeUndefined();
  });

  test("a wrong account name is reported as such, not as a missing one", () => {
    expect(refusal({ CI: "true", LAB_STATE_STORAGE_ACCOUNT: "St_Lab" }).problems.map((p) => p.problem)).toEqual([
      "must be a storage account name: 3 to 24 lowercase letters and digits.",
    ]);
  });
});

describe("LAB_NOTEBOOK_LANGUAGE", () => {
  test("rejects anything but en or ja", () => {
    expect(() => load({ LAB_NOTEBOOK_LANGUAGE: "fr" })).toThrow(
      /LAB_NOTEBOOK_LANGUAGE = "fr".*\n    must be en or ja\./,
    );
  });
});

describe("LAB_NOTEBOOK_URL and LAB_NOTEBOOK_SHA256", () => {
  const custom = "https://example.org/notebooks/lab.dbc";
  const sum = "a".repeat(64);

  test("a GitHub blob URL is turned into its download form, and a course archive keeps its known sum", () => {
    const { settings } = load({
      LAB_NOTEBOOK_URL:
        "https://github.com/MicrosoftLearning/dp-090-databricks-ml/blob/master/03%20-%20Managing%20Experiments%20and%20Models.dbc",
    });
    expect(settings.notebook).toEqual({
      kind: "download",
      urls: [
        "https://github.com/MicrosoftLearning/dp-090-databricks-ml/raw/master/03%20-%20Managing%20Experiments%20and%20Models.dbc",
      ],
      sha256: "ff4762752e1f5a99d09f7056ab03936e987fe36ef9ab8f7c3fa763df433ad03e",
    });
  });

  test("the lab's own URL keeps the fallbacks", () => {
    const lab = defaultArchive("en");
    expect(load({ LAB_NOTEBOOK_URL: lab.urls[0] }).settings.notebook).toEqual({
      kind: "download",
      urls: lab.urls,
      sha256: EN_SUM,
    });
  });

  test("a custom URL needs a sum", () => {
    expect(() => load({ LAB_NOTEBOOK_URL: custom })).toThrow(
      /LAB_NOTEBOOK_SHA256 is not set\n    must be set when LAB_NOTEBOOK_URL points at an archive the lab does not know.*\n    Fix: .*set LAB_NOTEBOOK_SHA256=unverified to skip the check/,
    );
  });

  test("a custom URL with a sum is used as given", () => {
    expect(load({ LAB_NOTEBOOK_URL: custom, LAB_NOTEBOOK_SHA256: sum.toUpperCase() }).settings.notebook).toEqual({
      kind: "download",
      urls: [custom],
      sha256: sum,
    });
  });

  test("'unverified' on the lab's own archive is warned about too", () => {
    const { settings, warnings } = load({ LAB_NOTEBOOK_SHA256: "unverified" });
    expect(settings.notebook).toMatchObject({ kind: "download", sha256: undefined });
    expect(warnings).toEqual([
      {
        setting: "LAB_NOTEBOOK_SHA256",
        message: expect.stringMatching(
          /^"unverified": the archive from https:\/\/github\.com\/MicrosoftLearning\/dp-090-databricks-ml\/raw\/madiepev-add-modules\//,
        ),
      },
    ]);
  });

  test("a URL's query string (it may hold a SAS token) is kept out of warnings", () => {
    const { warnings } = load({
      LAB_NOTEBOOK_URL: "https://example.org/lab.dbc?sv=2022&sig=SECRETSIGNATURE",
      LAB_NOTEBOOK_SHA256: "unverified",
    });
    expect(warnings[0].message).toContain("https://example.org/lab.dbc?…");
    expect(warnings[0].message).not.toContain("SECRETSIGNATURE");
  });

  test("opting out with 'unverified' is allowed and warned about", () => {
    const { settings, warnings } = load({ LAB_NOTEBOOK_URL: custom, LAB_NOTEBOOK_SHA256: "unverified" });
    expect(settings.notebook).toEqual({ kind: "download", urls: [custom], sha256: undefined });
    expect(warnings).toEqual([
      {
        setting: "LAB_NOTEBOOK_SHA256",
        message: expect.stringMatching(/^"unverified": the archive from https:\/\/example\.org/),
      },
    ]);
  });

  test.each(["ftp://example.org/lab.dbc", "not a url"])("rejects URL %j", (url) => {
    expect(() => load({ LAB_NOTEBOOK_URL: url, LAB_NOTEBOOK_SHA256: sum })).toThrow(
      /LAB_NOTEBOOK_URL = ".*".*\n    must be an http\(s\) URL of a \.dbc archive\./,
    );
  });

  test("rejects a sum that is not 64 hex characters", () => {
    expect(() => load({ LAB_NOTEBOOK_SHA256: "abc123" })).toThrow(
      /LAB_NOTEBOOK_SHA256 = "abc123".*\n    must be 64 hexadecimal characters \(a sha256 sum\), or "unverified" to skip the check\./,
    );
  });
});

describe("LAB_NOTEBOOK_FILE", () => {
  test("a local archive replaces the download, checked against a sum only when one is given", () => {
    const file = writeTemp("lab.dbc", makeDbc(), cwd);
    const { settings, warnings } = load({
      LAB_NOTEBOOK_FILE: "lab.dbc",
      LAB_NOTEBOOK_URL: "https://example.org/x.dbc",
    });
    expect(settings.notebook).toEqual({ kind: "file", file, sha256: undefined });
    expect(warnings).toEqual([
      { setting: "LAB_NOTEBOOK_URL", message: "ignored: LAB_NOTEBOOK_FILE is set and is imported instead." },
    ]);
  });

  test("a missing file is an error even with a sum: the file named is what gets imported", () => {
    expect(() => load({ LAB_NOTEBOOK_FILE: "gone.dbc", LAB_NOTEBOOK_SHA256: "b".repeat(64) })).toThrow(
      new RegExp(
        `LAB_NOTEBOOK_FILE = "gone.dbc".*\\n    must be an existing \\.dbc file; nothing is at ${join(cwd, "gone.dbc")}\\.`,
      ),
    );
  });

  test("a missing file is an error naming the resolved path", () => {
    expect(() => load({ LAB_NOTEBOOK_FILE: "missing.dbc" })).toThrow(
      new RegExp(
        `LAB_NOTEBOOK_FILE = "missing.dbc".*\\n    must be an existing \\.dbc file; nothing is at ${join(cwd, "missing.dbc")}\\.`,
      ),
    );
  });
});

describe("LAB_SUBSCRIPTION_ID", () => {
  test("accepts a GUID", () => {
    const id = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    expect(load({ LAB_SUBSCRIPTION_ID: id }).settings.subscriptionId).toBe(id);
  });

  test("rejects anything else", () => {
    expect(() => load({ LAB_SUBSCRIPTION_ID: "my-subscription" })).toThrow(/must be an Azure subscription id \(a GUID/);
  });
});

describe("all problems at once", () => {
  test("several bad settings give one error listing each, with value, rule and fix", () => {
    const error = problemsOf({ LAB_NAME: "X", LAB_SKU: "standard", LAB_WORKERS: "0", LAB_LOCATION: "mars" });
    expect(error.problems.map((p) => p.setting)).toEqual(["LAB_NAME", "LAB_LOCATION", "LAB_SKU", "LAB_WORKERS"]);
    expect(error.message).toMatch(/^The lab settings have 4 problems; nothing was synthesized or created\./);
    for (const p of error.problems) {
      expect(error.message).toContain(`${p.setting} = ${JSON.stringify(p.value)} (from environment)`);
      expect(p.fix.length).toBeGreaterThan(10);
    }
  });
});

describe("lab.settings.json", () => {
  test("supplies settings, and the environment wins over it", () => {
    writeFileSync(
      join(cwd, "lab.settings.json"),
      JSON.stringify({ LAB_VARIANT: "gpu", LAB_WORKERS: 3, LAB_NAME: "from-file" }),
    );
    const { settings } = load({ LAB_NAME: "from-env" });
    expect(settings.variant).toBe(LabVariant.GPU);
    expect(settings.workers).toBe(3);
    expect(settings.name).toBe("from-env");
  });

  test("a value from the file is shown as written, quoted once", () => {
    writeFileSync(join(cwd, "lab.settings.json"), JSON.stringify({ LAB_REGION: "westeurope" }));
    expect(() => load({})).toThrow(
      /\n  LAB_REGION = "westeurope" \(from lab.settings.json\)\n    is not a lab setting\./,
    );
  });

  test("an unknown key is an error that suggests the setting meant", () => {
    writeFileSync(join(cwd, "lab.settings.json"), JSON.stringify({ LAB_WORKER: 2 }));
    expect(() => load({})).toThrow(
      /LAB_WORKER = "2" \(from lab.settings.json\)\n    is not a lab setting\.\n    Fix: .*\(did you mean LAB_WORKERS\?\)/,
    );
  });

  test("an empty value in the file means unset, as an empty environment variable does", () => {
    writeFileSync(
      join(cwd, "lab.settings.json"),
      JSON.stringify({ LAB_NOTEBOOK_FILE: "", LAB_CACHE_DIR: " ", LAB_NAME: "" }),
    );
    const { settings } = load({});
    expect(settings.notebook.kind).toBe("download");
    expect(settings.cacheDir).toBe(join(cwd, ".cache"));
    expect(settings.name).toBe("dp090-ddl");
  });

  test("a value from the file is reported with its source", () => {
    writeFileSync(join(cwd, "lab.settings.json"), JSON.stringify({ LAB_SKU: "standard" }));
    expect(() => load({})).toThrow(/LAB_SKU = "standard" \(from lab.settings.json\)/);
  });

  test("broken JSON is reported, not thrown raw", () => {
    writeFileSync(join(cwd, "lab.settings.json"), "{ LAB_VARIANT: gpu");
    expect(() => load({})).toThrow(/\n  lab.settings.json\n    must be valid JSON/);
  });
});

describe("unknown LAB_ variables", () => {
  test("a near-miss of a setting's name is an error naming the setting: the lab would be built without it", () => {
    expect(problemsOf({ LAB_WORKER: "3" }).problems).toEqual([
      {
        setting: "LAB_WORKER",
        value: "3",
        source: "environment",
        problem: "is not a lab setting, so the lab would be built without it; LAB_WORKERS is.",
        fix: "rename it to LAB_WORKERS (or unset LAB_WORKER).",
      },
    ]);
  });

  test("one far from every setting stays a warning", () => {
    expect(load({ LAB_OWNER_TEAM: "ml" }).warnings).toEqual([
      { setting: "LAB_OWNER_TEAM", message: "is not a lab setting and is ignored." },
    ]);
  });
});

describe("pricing settings (npm run cost)", () => {
  test("take a currency, an API URL and a DBU rate", () => {
    const { settings } = load({
      LAB_CURRENCY: "eur",
      LAB_PRICES_API_URL: "http://127.0.0.1:8080/prices",
      LAB_DBU_PER_HOUR: "1.25",
    });
    expect(settings.pricing).toEqual({ currency: "EUR", apiUrl: "http://127.0.0.1:8080/prices", dbuPerHour: 1.25 });
  });

  test("are not checked for synth, deploy or destroy, which do not use them", () => {
    const { settings } = loadSettings({ LAB_CURRENCY: "XYZ", LAB_DBU_PER_HOUR: "-1" }, { cwd });
    expect(settings.pricing.dbuPerHour).toBeUndefined();
  });

  test("reject an unknown currency, a non-URL and a rate that is not a positive number, together", () => {
    const error = problemsOf({ LAB_CURRENCY: "XYZ", LAB_PRICES_API_URL: "prices", LAB_DBU_PER_HOUR: "-1" });
    expect(error.problems.map((p) => p.setting)).toEqual(["LAB_CURRENCY", "LAB_PRICES_API_URL", "LAB_DBU_PER_HOUR"]);
    expect(error.message).toMatch(
      /LAB_CURRENCY = "XYZ" \(from environment\)\n    must be a currency the Azure Retail Prices API answers in: USD, AUD/,
    );
    expect(error.message).toMatch(
      /LAB_DBU_PER_HOUR = "-1" \(from environment\)\n    must be a positive number of DBUs per hour per node/,
    );
  });
});

describe("exact messages: each rule names the setting, the value, what is allowed and the fix", () => {
  test.each<[Record<string, string>, string, string, string]>([
    [
      { LAB_NAME: "My_Lab" },
      "LAB_NAME",
      "must be 3 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit (it names the stack and every Azure resource).",
      'set LAB_NAME to something like "my-lab".',
    ],
    [
      { LAB_LOCATION: "japaneest" },
      "LAB_LOCATION",
      'must be an Azure region that offers Azure Databricks (ARM name like eastus, or display name like "Japan East").',
      "use one of the closest: japaneast, japanwest, canadaeast.",
    ],
    [
      { LAB_VARIANT: "tpu" },
      "LAB_VARIANT",
      "must be cpu or gpu.",
      "set LAB_VARIANT=cpu (cheaper, the lab's default) or LAB_VARIANT=gpu.",
    ],
    [
      { LAB_SKU: "standard" },
      "LAB_SKU",
      "standard is retired: Azure Databricks refuses new Standard-tier workspaces since 2026-04-01 (retired 2026-10-01, existing ones moved to Premium).",
      "set LAB_SKU=premium (or trial for a 14-day free Premium trial).",
    ],
    [{ LAB_SKU: "gold" }, "LAB_SKU", "must be premium or trial.", "set LAB_SKU=premium."],
    [
      { LAB_VARIANT: "gpu", LAB_NODE_TYPE: "Standard_DS3_v2" },
      "LAB_NODE_TYPE",
      "must be a GPU VM size (N-series) for LAB_VARIANT=gpu.",
      "set LAB_NODE_TYPE=Standard_NC4as_T4_v3 (the gpu default) or unset it.",
    ],
    [
      { LAB_NODE_TYPE: "Standard_NC4as_T4_v3" },
      "LAB_NODE_TYPE",
      "must be a non-GPU VM size for LAB_VARIANT=cpu (a GPU size needs a -gpu-ml- runtime).",
      "set LAB_NODE_TYPE=Standard_DS3_v2 (the cpu default) or unset it, or set LAB_VARIANT=gpu.",
    ],
    [
      { LAB_VARIANT: "gpu", LAB_NODE_TYPE: "Standard_NC6s_v3" },
      "LAB_NODE_TYPE",
      "is a retired GPU size: the NCv3 series was retired on 2025-09-30 and can no longer be deployed.",
      "set LAB_NODE_TYPE=Standard_NC4as_T4_v3 (NCasT4_v3, 1 T4 GPU) or another current GPU size (NC_A100_v4, NCads_H100_v5, NVadsA10_v5).",
    ],
    [
      { LAB_NODE_TYPE: "DS3 v2" },
      "LAB_NODE_TYPE",
      "must be an Azure VM size name such as Standard_DS3_v2.",
      "set LAB_NODE_TYPE=Standard_DS3_v2 (the cpu default) or unset it.",
    ],
    [
      { LAB_WORKERS: "0" },
      "LAB_WORKERS",
      "must be a whole number from 1 to 20.",
      "set LAB_WORKERS=1 (the cpu default) or another number in range.",
    ],
    [
      { LAB_RUNTIME: "15.4.x-gpu-ml-scala2.12" },
      "LAB_RUNTIME",
      "must be a -cpu-ml- runtime for LAB_VARIANT=cpu.",
      "set LAB_RUNTIME=15.4.x-cpu-ml-scala2.12 (15.4 LTS ML, the last with HorovodRunner) or unset it.",
    ],
    [
      { LAB_RUNTIME: "15.4.x-scala2.12" },
      "LAB_RUNTIME",
      "must be a Databricks ML runtime key like 15.4.x-cpu-ml-scala2.12 (the lab needs an ML runtime).",
      "set LAB_RUNTIME=15.4.x-cpu-ml-scala2.12 (15.4 LTS ML, the last with HorovodRunner) or unset it.",
    ],
    [
      { LAB_RUNTIME: "7.3.x-cpu-ml-scala2.11" },
      "LAB_RUNTIME",
      "must ship Spark newer than 3.0 (runtime 8.0 or later) and use Scala newer than 2.11.",
      "set LAB_RUNTIME=15.4.x-cpu-ml-scala2.12 (15.4 LTS ML, the last with HorovodRunner) or unset it.",
    ],
    [
      { LAB_AUTOTERMINATION_MINUTES: "5" },
      "LAB_AUTOTERMINATION_MINUTES",
      "must be a whole number of minutes from 10 to 10000 (an idle lab cluster must stop by itself).",
      "set LAB_AUTOTERMINATION_MINUTES=120 (the lab's value).",
    ],
    [
      { LAB_AUTOTERMINATION_MINUTES: "300" },
      "LAB_AUTOTERMINATION_MINUTES",
      "must be at most 240 minutes, the cost policy's limit (an idle cluster bills VMs and DBUs).",
      "lower it, or raise the limit on purpose with LAB_MAX_AUTOTERMINATION_MINUTES=300.",
    ],
    [
      { LAB_NOTEBOOK_LANGUAGE: "fr" },
      "LAB_NOTEBOOK_LANGUAGE",
      "must be en or ja.",
      "set LAB_NOTEBOOK_LANGUAGE=en (or ja for the Japanese translation).",
    ],
    [
      {
        LAB_NOTEBOOK_URL: "ftp://x/y.dbc",
        LAB_NOTEBOOK_SHA256: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      },
      "LAB_NOTEBOOK_URL",
      "must be an http(s) URL of a .dbc archive.",
      "use a URL such as https://github.com/<owner>/<repo>/raw/<branch>/<file>.dbc, or unset it for the lab's archive.",
    ],
    [
      { LAB_NOTEBOOK_URL: "https://example.org/lab.dbc" },
      "LAB_NOTEBOOK_SHA256",
      "must be set when LAB_NOTEBOOK_URL points at an archive the lab does not know: the sum is what proves the download is the file you meant.",
      "download it once, run `sha256sum <file>.dbc` and set LAB_NOTEBOOK_SHA256 to the result, or set LAB_NOTEBOOK_SHA256=unverified to skip the check.",
    ],
    [
      { LAB_NOTEBOOK_SHA256: "abc" },
      "LAB_NOTEBOOK_SHA256",
      'must be 64 hexadecimal characters (a sha256 sum), or "unverified" to skip the check.',
      "compute it with `sha256sum <file>.dbc`, or unset it to use the known sum of the default archive.",
    ],
    [
      { LAB_SUBSCRIPTION_ID: "x" },
      "LAB_SUBSCRIPTION_ID",
      "must be an Azure subscription id (a GUID like 00000000-0000-0000-0000-000000000000).",
      "copy it from `az account show --query id -o tsv`, or unset it and export ARM_SUBSCRIPTION_ID instead.",
    ],
  ])("%j -> %s", (env, setting, problem, fix) => {
    const error = problemsOf(env);
    expect(error.problems).toEqual([
      { setting, value: env[setting], source: env[setting] === undefined ? undefined : "environment", problem, fix },
    ]);
    const given =
      env[setting] === undefined
        ? `${setting} is not set`
        : `${setting} = ${JSON.stringify(env[setting])} (from environment)`;
    expect(error.message).toBe(
      `The lab settings have 1 problem; nothing was synthesized or created.\n\n  ${given}\n    ${problem}\n    Fix: ${fix}`,
    );
  });
});

describe("what a setting's value or name may hide", () => {
  const SAS = "sv=2022-11-02&sig=SECRETSIGNATURE";

  test.each([
    [
      "a URL with a SAS token",
      "https://store.blob.core.windows.net/x.dbc?" + SAS,
      "https://store.blob.core.windows.net/x.dbc?…",
    ],
    [
      "a mistyped URL with a SAS token",
      "htps//store.blob.core.windows.net/x.dbc?" + SAS,
      "htps//store.blob.core.windows.net/x.dbc?…",
    ],
    ["a URL with user info", "https://ada:SECRETSIGNATURE@prices.example.org/api", "https://…@prices.example.org/api"],
    ["a URL with a fragment", "ftp://example.org/x#SECRETSIGNATURE", "ftp://example.org/x?…"],
  ])("%s is echoed without its secret, in the message and the problem's value", (_, value, shown) => {
    const envs: Record<string, string>[] = [
      { LAB_NOTEBOOK_URL: value },
      { LAB_PRICES_API_URL: value.replace(/^https/, "gopher") },
    ];
    for (const env of envs) {
      const error = problemsOf(env);
      expect(error.message).not.toContain("SECRETSIGNATURE");
      expect(error.problems.map((p) => p.value)).not.toContainEqual(expect.stringContaining("SECRETSIGNATURE"));
    }
    expect(problemsOf({ LAB_NOTEBOOK_URL: value.replace(/^\w+/, "gopher") }).message).toContain(
      JSON.stringify(shown.replace(/^\w+/, "gopher")),
    );
  });

  test("a URL in a settings file's unknown key or its JSON syntax error is echoed without its secret", () => {
    writeFileSync(join(cwd, "lab.settings.json"), JSON.stringify({ LAB_NOTEBOK_URL: `https://x.org/a.dbc?${SAS}` }));
    expect(problemsOf({}).message).not.toContain("SECRETSIGNATURE");
    writeFileSync(join(cwd, "lab.settings.json"), `{"LAB_NOTEBOOK_URL": https://x.org/a.dbc?${SAS}}`);
    const error = problemsOf({});
    expect(error.problems[0].problem).toMatch(/^must be valid JSON/);
    expect(error.message).not.toContain("SECRETSIGNATURE");
  });

  test.each(["lab_variant", "Lab_Variant", "LAB_variant"])(
    "%s in the environment is refused as differing from LAB_VARIANT only in case",
    (name) => {
      expect(problemsOf({ [name]: "gpu" }).problems).toEqual([
        {
          setting: name,
          value: "gpu",
          source: "environment",
          problem:
            "differs from LAB_VARIANT only in case; setting names are upper case, so the lab would be built without it.",
          fix: `export LAB_VARIANT instead (and unset ${name}).`,
        },
      ]);
    },
  );

  test("lab_variant in the settings file is refused as differing only in case", () => {
    writeFileSync(join(cwd, "lab.settings.json"), JSON.stringify({ lab_variant: "gpu" }));
    expect(problemsOf({}).problems).toEqual([
      {
        setting: "lab_variant",
        value: "gpu",
        source: "lab.settings.json",
        problem:
          "differs from LAB_VARIANT only in case; setting names are upper case, so the lab would be built without it.",
        fix: 'rename "lab_variant" to "LAB_VARIANT" in lab.settings.json.',
      },
    ]);
  });

  test("a settings file with a UTF-8 BOM is read", () => {
    writeFileSync(join(cwd, "lab.settings.json"), `\uFEFF${JSON.stringify({ LAB_VARIANT: "gpu" })}`);
    expect(load({}).settings.variant).toBe(LabVariant.GPU);
  });

  test("a settings file in UTF-16 says so", () => {
    const file = join(cwd, "lab.settings.json");
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"LAB_VARIANT": "gpu"}', "utf16le")]));
    expect(problemsOf({}).problems).toEqual([
      {
        setting: "lab.settings.json",
        source: "lab.settings.json",
        problem: "must be UTF-8 text; it is UTF-16 (little-endian, with a byte order mark).",
        fix: `save ${file} as UTF-8 (in Excel: Save As > "CSV UTF-8"; in Notepad: Save As > Encoding: UTF-8).`,
      },
    ]);
  });

  test.each([
    ["is a file", (file: string) => file, (file: string) => `${file} is a file`],
    [
      "has a file on its path",
      (file: string) => join(file, "cache"),
      (file: string) => `${file}, on its path, is a file`,
    ],
  ])("LAB_CACHE_DIR that %s is a problem of that setting", (_, dirOf, what) => {
    const file = writeTemp("not-a-folder", "x", cwd);
    expect(problemsOf({ LAB_CACHE_DIR: dirOf(file) }).problems).toEqual([
      {
        setting: "LAB_CACHE_DIR",
        value: dirOf(file),
        source: "environment",
        problem: `must be a folder, or a path where one can be made; ${what(file)}.`,
        fix: "point LAB_CACHE_DIR at a folder (it is made when missing), or unset it to use .cache in the project folder.",
      },
    ]);
  });

  test("LAB_CACHE_DIR that does not exist yet is fine", () => {
    expect(load({ LAB_CACHE_DIR: join(cwd, "a", "b") }).settings.cacheDir).toBe(join(cwd, "a", "b"));
  });
});

describe("LAB_BUDGET and LAB_BUDGET_EMAILS", () => {
  test("a monthly amount and addresses, lowercased", () => {
    const { settings } = load({ LAB_BUDGET: "99.50", LAB_BUDGET_EMAILS: "Ada@Example.org, ops@example.org" });
    expect(settings.budget).toBe(99.5);
    expect(settings.budgetEmails).toEqual(["ada@example.org", "ops@example.org"]);
  });

  test("unset: no budget", () => {
    expect(load({}).settings).toMatchObject({ budget: undefined, budgetEmails: [] });
  });

  test.each(["0", "0.99", "-5", "1e3", "1,000", "$150", "150 USD", "12.345", "10000001"])(
    "LAB_BUDGET=%j is refused with what is allowed",
    (value) => {
      const error = problemsOf({ LAB_BUDGET: value, LAB_BUDGET_EMAILS: "ada@example.org" });
      expect(error.problems.map((p) => [p.setting, p.problem])).toEqual([
        [
          "LAB_BUDGET",
          "must be a monthly amount from 1 to 10000000 in the subscription's billing currency, with at most two decimals (for example 150 or 99.50), no currency sign or thousands separator.",
        ],
      ]);
    },
  );

  test("bad addresses are refused, each named; a budget without any address is refused", () => {
    const bad = problemsOf({ LAB_BUDGET: "150", LAB_BUDGET_EMAILS: "ada@example.org,not-an-address, @x" });
    expect(bad.problems.map((p) => [p.setting, p.problem])).toEqual([
      ["LAB_BUDGET_EMAILS", 'must be e-mail addresses separated by commas; "not-an-address", "@x" are not.'],
    ]);
    const none = problemsOf({ LAB_BUDGET: "150" });
    expect(none.problems.map((p) => [p.setting, p.problem, p.fix])).toEqual([
      [
        "LAB_BUDGET_EMAILS",
        "must name at least one address when LAB_BUDGET is set: Azure sends the budget's alerts there.",
        "set LAB_BUDGET_EMAILS=you@example.org (several: separated by commas).",
      ],
    ]);
  });

  test("more addresses than one alert takes are refused", () => {
    const emails = Array.from({ length: 51 }, (_, i) => `p${i}@example.org`).join(",");
    expect(problemsOf({ LAB_BUDGET: "150", LAB_BUDGET_EMAILS: emails }).problems[0].problem).toBe(
      "names 51 addresses; a budget alert goes to at most 50.",
    );
  });

  test("addresses without a budget are ignored, with a warning", () => {
    expect(load({ LAB_BUDGET_EMAILS: "ada@example.org" }).warnings).toContainEqual({
      setting: "LAB_BUDGET_EMAILS",
      message: "ignored: LAB_BUDGET is not set, so there is no budget.",
    });
  });
});

describe("the settings' dependencies, declared", () => {
  const declarations = Object.entries(ALL_SETTINGS);

  test.each(declarations)("%s: its default parses, whatever the variant", (_, declaration) => {
    for (const variant of [undefined, ...LabVariant.ALL]) {
      expect("value" in declaration.parse(undefined, { cwd, variant })).toBe(true);
    }
  });

  test.each(declarations.filter(([, d]) => d.reads?.includes("LAB_VARIANT")))(
    "%s reads LAB_VARIANT: its default follows the variant given",
    (_, declaration) => {
      const defaults = LabVariant.ALL.map((variant) => JSON.stringify(declaration.parse(undefined, { cwd, variant })));
      expect(new Set(defaults).size).toBe(LabVariant.ALL.length);
    },
  );

  test.each(declarations.filter(([, d]) => !d.reads?.includes("LAB_VARIANT")))(
    "%s declares no dependency: the variant changes nothing of it",
    (_, declaration) => {
      const parsed = LabVariant.ALL.map((variant) => JSON.stringify(declaration.parse(undefined, { cwd, variant })));
      expect(new Set(parsed).size).toBe(1);
    },
  );

  test.each(CROSS_RULES.map((rule) => [rule.name, rule] as const))(
    "the rule %s is skipped while a setting it reads is invalid",
    (_, rule) => {
      const spy = jest.spyOn(rule, "check");
      const bad: Record<string, string> = {
        variant: "LAB_VARIANT",
        nodeType: "LAB_NODE_TYPE",
        workers: "LAB_WORKERS",
        autoterminationMinutes: "LAB_AUTOTERMINATION_MINUTES",
        maxAutoterminationMinutes: "LAB_MAX_AUTOTERMINATION_MINUTES",
        budget: "LAB_BUDGET",
        budgetEmails: "LAB_BUDGET_EMAILS",
      };
      for (const key of rule.reads) {
        spy.mockClear();
        expect(() => load({ [bad[key]]: "not-valid!" })).toThrow(SettingsError);
        expect(spy).not.toHaveBeenCalled();
      }
      spy.mockClear();
      load({});
      expect(spy).toHaveBeenCalledTimes(1);
      const [input] = spy.mock.calls[0];
      expect(rule.reads.filter((key) => !(key in input))).toEqual([]);
      spy.mockRestore();
    },
  );
});

describe("settings for a destroy", () => {
  const forDestroy = (env: Record<string, string>) => loadSettings(env, { cwd, destroy: true });

  test("settings a destroy does not read never block it: a deleted roster, a bad variant, a bad archive URL", () => {
    const { settings } = forDestroy({
      LAB_STUDENTS_FILE: join(cwd, "deleted.csv"),
      LAB_VARIANT: "tpu",
      LAB_NOTEBOOK_URL: "ftp://nowhere",
      LAB_AUTOTERMINATION_MINUTES: "5",
      LAB_NAME: "class-b",
    });
    expect(settings).toMatchObject({ name: "class-b", variant: LabVariant.CPU, classroom: undefined });
  });

  test.each(Object.values(ALL_SETTINGS).filter((d) => d.readByDestroy))("$env is still checked", (declaration) => {
    const bad = declaration.env === "LAB_SUBSCRIPTION_ID" ? "not-a-guid" : "Not Valid//";
    expect(() => forDestroy({ [declaration.env]: bad })).toThrow(new RegExp(`${declaration.env} = `));
  });
});

describe("lists inside one setting are capped like every list of problems", () => {
  test(`a thousand bad allow-list entries name ${MAX_LISTED} and count the rest`, () => {
    const entries = Array.from({ length: 1000 }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    const problem = problemsOf({ LAB_ALLOWED_IP_RANGES: entries.join(",") }).problems[0].problem;
    expect(problem).toContain(`"${entries[MAX_LISTED - 1]}" is private`);
    expect(problem).not.toContain(`"${entries[MAX_LISTED]}"`);
    expect(problem).toContain(`and ${1000 - MAX_LISTED} more.`);
  });

  test(`a thousand bad LAB_REMOVE_STUDENTS addresses name ${MAX_LISTED} and count the rest`, () => {
    const wrong = Array.from({ length: 1000 }, (_, i) => `bad${i}`);
    const problem = problemsOf({ LAB_REMOVE_STUDENTS: wrong.join(",") }).problems[0].problem;
    expect(problem).toContain(`"bad${MAX_LISTED - 1}" and ${1000 - MAX_LISTED} more are not.`);
  });
});
