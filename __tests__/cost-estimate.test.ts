import { execFile } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CostEstimate, PRICE_CACHE, estimateCost } from "../lab/pricing/cost-estimate";
import { formatCostReport } from "../lab/pricing/cost-report";
import { RetailPrices } from "../lab/pricing/retail-prices";
import { LabSettings, SettingsError, loadSettings } from "../lab/settings";
import { tempDir, writeTemp } from "./helpers/dbc";
import { FakePrices, dbuRow, startFakePrices, vmRow } from "./helpers/fake-prices";
import { closedPort } from "./helpers/http-server";

const NOW = new Date("2026-11-26T12:00:00Z");
const T4 = {
  armSkuName: "Standard_NC4as_T4_v3",
  productName: "NCasT4_v3 Series",
  skuName: "NC4as T4 v3",
  meterName: "NC4as T4 v3",
};

/** A price list with the rows the estimate must skip around the ones it must use. */
const ROWS = [
  vmRow(0.5, { productName: "Virtual Machines DSv2 Series Windows" }),
  vmRow(0.05, { skuName: "DS3 v2 Spot", meterName: "D3 v2/DS3 v2 Spot" }),
  vmRow(0.06, { skuName: "DS3 v2 Low Priority", meterName: "D3 v2/DS3 v2 Low Priority" }),
  vmRow(0.2, { effectiveEndDate: "2025-01-01T00:00:00Z" }),
  vmRow(0.293),
  vmRow(0.526, T4),
  vmRow(0.9, { ...T4, productName: "NCasT4_v3 Series Windows" }),
  dbuRow(0.3, { skuName: "Premium Jobs Compute", meterName: "Premium Jobs Compute DBU" }),
  dbuRow(0.65, { skuName: "Premium All-Purpose Photon", meterName: "Premium All-Purpose Photon DBU" }),
  dbuRow(0.55),
];

let server: FakePrices | undefined;
let cacheDir: string;
let offlineApi: string;
beforeAll(async () => {
  offlineApi = `http://127.0.0.1:${await closedPort()}/prices`;
});
beforeEach(() => {
  cacheDir = tempDir("cache-");
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function settingsFor(env: Record<string, string> = {}): LabSettings {
  return loadSettings(
    { LAB_PRICES_API_URL: server?.apiUrl ?? offlineApi, LAB_CACHE_DIR: cacheDir, ...env },
    { cwd: tempDir(), pricing: true },
  ).settings;
}

function estimate(env: Record<string, string> = {}, hours?: number, now = NOW): Promise<CostEstimate> {
  const settings = settingsFor(env);
  const prices = new RetailPrices({
    apiUrl: settings.pricing.apiUrl,
    cacheDir: join(settings.cacheDir, PRICE_CACHE),
    now: () => now,
    http: { retryDelayMs: 1, timeoutMs: 2000 },
  });
  return estimateCost(settings, { hours, now: () => now, prices });
}

describe("live prices from the Retail Prices API", () => {
  test("the default CPU lab in eastus: 2 x DS3_v2 at 0.75 DBU, about 1.41 USD/h for the cluster", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate();
    expect(e.nodes).toEqual([
      {
        role: "driver",
        vmSize: "Standard_DS3_v2",
        count: 1,
        dbuPerHourPerNode: 0.75,
        pricePerDbu: 0.55,
        vmPricePerHour: 0.293,
        costPerHour: 0.7055,
      },
      {
        role: "workers",
        vmSize: "Standard_DS3_v2",
        count: 1,
        dbuPerHourPerNode: 0.75,
        pricePerDbu: 0.55,
        vmPricePerHour: 0.293,
        costPerHour: 0.7055,
      },
    ]);
    expect(e.perHour).toEqual({ cluster: 1.411, fixed: 0.05, total: 1.461 });
    expect(e.session).toEqual({ hours: 3, autoterminationTailHours: 2, total: 7.305 });
    expect(e.currency).toBe("USD");
    expect(e.source).toBe("live+snapshot");
    expect(e.prices.vm).toEqual({
      value: 0.293,
      origin: "live",
      note: "Standard_DS3_v2 Linux in eastus (D3 v2/DS3 v2), Retail Prices API, read 2026-11-26",
    });
    expect(e.prices.dbu.origin).toBe("live");
  });

  test("follows NextPageLink through every page", async () => {
    server = await startFakePrices(ROWS);
    await estimate();
    const vmPages = server.hits.filter((h) => decodeURIComponent(h).includes("armSkuName eq 'Standard_DS3_v2'"));
    expect(vmPages).toHaveLength(3);
    expect(vmPages[1]).toMatch(/&\$skip=2$/);
    expect(vmPages[2]).toMatch(/&\$skip=4$/);
    expect(decodeURIComponent(vmPages[0])).toContain(
      "api-version=2023-01-01-preview&currencyCode='USD'&$filter=serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and armSkuName eq 'Standard_DS3_v2' and priceType eq 'Consumption'",
    );
  });

  test("the default GPU lab in eastus: 3 x NC4as_T4_v3 at 1 DBU, about 3.23 USD/h", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate({ LAB_VARIANT: "gpu" });
    expect(e.nodes.map((n) => [n.role, n.count, n.costPerHour])).toEqual([
      ["driver", 1, 1.076],
      ["workers", 2, 2.152],
    ]);
    expect(e.perHour.cluster).toBe(3.228);
    expect(e.session.total).toBe(16.39);
  });

  test("a 429 is retried and the next answer is used", async () => {
    server = await startFakePrices(ROWS, (n) => (n === 1 ? 429 : undefined));
    const e = await estimate();
    expect(e.source).toBe("live+snapshot");
    expect(e.perHour.cluster).toBe(1.411);
  });

  test("another currency is asked of the API, and snapshot-only items are converted at its rate", async () => {
    server = await startFakePrices([
      ...ROWS,
      dbuRow(0.5, { currencyCode: "EUR" }),
      vmRow(0.27, { currencyCode: "EUR" }),
    ]);
    const e = await estimate({ LAB_CURRENCY: "EUR" });
    expect(e.currency).toBe("EUR");
    expect(e.nodes[0]).toMatchObject({ pricePerDbu: 0.5, vmPricePerHour: 0.27 });
    expect(e.prices.natGateway.value).toBeCloseTo(0.045 * (0.5 / 0.55), 4);
    expect(e.prices.natGateway.note).toMatch(/converted from USD at 0\.9091/);
    expect(e.caveats).toContain("Reference prices in EUR: Azure bills in USD and converts.");
  });
});

describe("fallback to the bundled snapshot", () => {
  test("a 500 falls back to the snapshot, says so, and still gives the lab's figures", async () => {
    server = await startFakePrices(ROWS, () => 500);
    const e = await estimate();
    expect(e.source).toBe("snapshot");
    expect(e.liveError).toMatch(/HTTP 500/);
    expect(e.perHour.cluster).toBe(1.411);
    expect(formatCostReport(e)).toContain("(USD, bundled snapshot (no live prices))");
  });

  test("no matching row (the API lists DS3_v2 under a shared meter) falls back for that price only", async () => {
    server = await startFakePrices(ROWS.filter((r) => r.serviceName !== "Virtual Machines"));
    const e = await estimate();
    expect(e.prices.dbu.origin).toBe("live");
    expect(e.prices.vm).toMatchObject({ value: 0.293, origin: "snapshot" });
    expect(e.source).toBe("live+snapshot");
  });

  test("offline, a region the snapshot lacks borrows the size's eastus price, labelled approximate", async () => {
    const e = await estimate({ LAB_LOCATION: "westus2" });
    expect(e.prices.vm).toMatchObject({ value: 0.293, origin: "snapshot", approximate: "eastus" });
    expect(e.prices.vm.note).toContain("Standard_DS3_v2 Linux in eastus, standing in for westus2 (approximate)");
    expect(e.caveats[0]).toMatch(/^The VM price is eastus's: the snapshot has no Standard_DS3_v2 price for westus2/);
    expect(e.perHour.cluster).toBe(1.411);
  });

  test("offline, a size the snapshot lacks entirely is an error that says what is missing", async () => {
    await expect(estimate({ LAB_NODE_TYPE: "Standard_DS4_v2" })).rejects.toThrow(
      /^No price for Standard_DS4_v2 in eastus: the Retail Prices API could not be reached .*the bundled snapshot covers only Standard_DS3_v2, Standard_NC4as_T4_v3 in eastus; Standard_NC4as_T4_v3 in westeurope; Standard_NC4as_T4_v3 in japaneast\.\nFix: run again with network access to prices\.azure\.com\.$/,
    );
  });

  test("another currency with no live prices is shown in USD, with a note", async () => {
    const e = await estimate({ LAB_CURRENCY: "JPY" });
    expect(e.currency).toBe("USD");
    expect(e.caveats[0]).toBe(
      "LAB_CURRENCY=JPY was asked for, but without live prices there is nothing to convert with: amounts are in USD.",
    );
  });
});

describe("cache", () => {
  test("answers are cached for 24 hours and used with the server stopped", async () => {
    server = await startFakePrices(ROWS);
    const api = { LAB_PRICES_API_URL: server.apiUrl };
    await estimate(api);
    expect(readdirSync(join(cacheDir, PRICE_CACHE)).filter((f) => f.endsWith(".json")).length).toBeGreaterThanOrEqual(
      2,
    );
    await server.close();
    server = undefined;

    const cached = await estimate(api, undefined, new Date(NOW.getTime() + 23 * 3_600_000));
    expect(cached.prices.vm).toMatchObject({
      value: 0.293,
      origin: "cache",
      note: expect.stringContaining("cached answer of 2026-11-26"),
    });
    expect(cached.source).toBe("live+snapshot");

    const stale = await estimate(api, undefined, new Date(NOW.getTime() + 25 * 3_600_000));
    expect(stale.prices.vm.origin).toBe("snapshot");
  });

  test("a cache that cannot be written does not cost the live answer", async () => {
    server = await startFakePrices(ROWS);
    const settings = settingsFor({ LAB_PRICES_API_URL: server.apiUrl });
    const blocked = join(tempDir(), "a-file-not-a-folder");
    writeFileSync(blocked, "");
    const prices = new RetailPrices({
      apiUrl: server.apiUrl,
      cacheDir: blocked,
      now: () => NOW,
      http: { retryDelayMs: 1 },
    });
    const e = await estimateCost(settings, { now: () => NOW, prices });
    expect(e.prices.vm.origin).toBe("live");
    expect(e.liveError).toBeUndefined();
  });

  test("a query asked twice in one run (the DBU price, for the exchange rate) reaches the API once, even uncached", async () => {
    server = await startFakePrices([
      ...ROWS,
      dbuRow(0.5, { currencyCode: "EUR" }),
      vmRow(0.27, { currencyCode: "EUR" }),
    ]);
    const settings = settingsFor({ LAB_PRICES_API_URL: server.apiUrl, LAB_CURRENCY: "EUR" });
    const blocked = join(tempDir(), "a-file-not-a-folder");
    writeFileSync(blocked, "");
    const prices = new RetailPrices({
      apiUrl: server.apiUrl,
      cacheDir: blocked,
      now: () => NOW,
      http: { retryDelayMs: 1 },
    });
    await estimateCost(settings, { now: () => NOW, prices });
    const eurDbu = server.hits
      .map(decodeURIComponent)
      .filter((h) => h.includes("currencyCode='EUR'") && h.includes("Azure Databricks"));
    expect(eurDbu).toHaveLength(1);
  });

  test("no temporary files are left behind", async () => {
    server = await startFakePrices(ROWS);
    await estimate();
    expect(readdirSync(join(cacheDir, PRICE_CACHE)).filter((f) => !f.endsWith(".json"))).toEqual([]);
  });
});

describe("DBU rates", () => {
  test("every size the settings know is priced from the one size table (the settings and cost agree)", async () => {
    server = await startFakePrices([...ROWS, vmRow(0.904, { armSkuName: "Standard_D16ds_v5", meterName: "D16ds v5" })]);
    const e = await estimate({ LAB_NODE_TYPE: "Standard_D16ds_v5" });
    expect(e.nodes[0]).toMatchObject({ dbuPerHourPerNode: 4, vmPricePerHour: 0.904 });
    expect(e.dbuSource).toMatch(/^Azure Databricks pricing page instance tables/);
  });

  test("a size missing from the size table is an error asking for LAB_DBU_PER_HOUR, never a guess", async () => {
    server = await startFakePrices(ROWS);
    const error = await estimate({ LAB_NODE_TYPE: "Standard_D32ds_v5" }).catch((e) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.message).toMatch(
      /LAB_DBU_PER_HOUR is not set\n    must be set for Standard_D32ds_v5: it is not in the lab's size table/,
    );
  });

  test("with LAB_DBU_PER_HOUR a size the table lacks is priced", async () => {
    server = await startFakePrices([...ROWS, vmRow(0.904, { armSkuName: "Standard_D32ds_v5", meterName: "D32ds v5" })]);
    const e = await estimate({ LAB_NODE_TYPE: "Standard_D32ds_v5", LAB_DBU_PER_HOUR: "4" });
    expect(e.nodes[0]).toMatchObject({ dbuPerHourPerNode: 4, vmPricePerHour: 0.904, costPerHour: 3.104 });
    expect(e.perHour.cluster).toBe(6.208);
    expect(e.dbuSource).toBe("LAB_DBU_PER_HOUR=4");
  });

  test("a trial workspace has free DBUs: VMs only", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate({ LAB_SKU: "trial" });
    expect(e.nodes[0]).toMatchObject({ pricePerDbu: 0, costPerHour: 0.293 });
    expect(e.prices.dbu.origin).toBe("trial");
  });
});

describe("session length", () => {
  test("--hours and the auto-termination tail make the session", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate({ LAB_AUTOTERMINATION_MINUTES: "30" }, 1.5);
    expect(e.session).toEqual({ hours: 1.5, autoterminationTailHours: 0.5, total: 2.922 });
  });
});

describe("npm run cost", () => {
  // Asynchronous, so the fake API in this process can answer while the command runs.
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        "node",
        [join(__dirname, "..", "scripts", "run-app.js"), "commands/cost.ts", ...args],
        {
          cwd: tempDir("cost-cli-"),
          encoding: "utf8",
          env: { PATH: process.env.PATH, LAB_CACHE_DIR: cacheDir, ...env },
        },
        (error, stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

  test("--json prints the documented shape, from the live API", async () => {
    server = await startFakePrices(ROWS);
    const result = await run(["--json", "--hours", "2"], { LAB_PRICES_API_URL: server.apiUrl });
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      currency: "USD",
      source: "live+snapshot",
      perHour: { cluster: 1.411, fixed: 0.05, total: 1.461 },
      session: { hours: 2, total: 5.844 },
    });
    expect(json.nodes).toHaveLength(2);
  });

  test.each([[{ LAB_VARIANT: "gpu", LAB_WORKERS: "1" }], [{ LAB_RUNTIME: "16.4.x-cpu-ml-scala2.12" }]])(
    "prints the warnings synth gives for %j, on stderr, and still estimates",
    async (env) => {
      const offline = `http://127.0.0.1:${await closedPort()}/prices`;
      const result = await run(["--json"], { LAB_PRICES_API_URL: offline, ...env });
      expect(result.status).toBe(0);
      const { warnings } = loadSettings({ ...env, LAB_CACHE_DIR: cacheDir }, { cwd: tempDir("cost-"), pricing: true });
      expect(warnings.length).toBeGreaterThan(0);
      expect(result.stderr.trim().split("\n")).toEqual(warnings.map((w) => `Warning: ${w.setting} ${w.message}`));
      expect(JSON.parse(result.stdout).currency).toBe("USD");
    },
  );

  test("offline it uses the snapshot and says so", async () => {
    const result = await run([], { LAB_PRICES_API_URL: `http://127.0.0.1:${await closedPort()}/prices` });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("(USD, bundled snapshot (no live prices))");
    expect(result.stdout).toMatch(/Cluster while running: +1\.411 USD\/h/);
    expect(result.stdout).toContain("(live prices could not be read from the Retail Prices API:");
    expect(existsSync(join(cacheDir, PRICE_CACHE))).toBe(false);
  });

  test("a bad setting gives synth's error, saying what this command did not do", async () => {
    const result = await run([], { LAB_SKU: "standard" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^The lab settings have 1 problem; no estimate was made\.\n\n  LAB_SKU = "standard" \(from environment\)\n    standard is retired/,
    );
  });

  test("an unknown option is refused with node's message and the usage, exit 1 and no stack", async () => {
    const result = await run(["--bogus"], {});
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Unknown option '--bogus'.*\nusage: npm run cost \[-- --hours H\] \[-- --json\]\n$/s);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("a bad --hours is refused with the usage", async () => {
    const result = await run(["--hours", "0"], {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '--hours must be a number of hours greater than 0 and at most 1000, got "0".\nusage: npm run cost',
    );
  });
});

describe("a class", () => {
  const roster = (n: number) =>
    writeTemp("class.csv", ["email", ...Array.from({ length: n }, (_, i) => `s${i}@example.org`)].join("\n"));

  test.each([
    ["personal", "Personal compute: the deploy starts every student's cluster"],
    ["policy", "Policy compute: nothing runs until a student starts their cluster"],
  ])("20 students, %s: per student and for the class, per hour and per session", async (compute, caveat) => {
    server = await startFakePrices(ROWS);
    const e = await estimate({ LAB_STUDENTS_FILE: roster(20), LAB_CLASSROOM_COMPUTE: compute });
    // a single-node DS3_v2 per student: 0.75 DBU x 0.55 + 0.293 = 0.7055 USD/h
    expect(e.class).toEqual({
      students: 20,
      compute,
      nodesPerStudent: 1,
      perStudentPerHour: 0.7055,
      perHour: 14.11,
      sessionTotal: 70.55,
    });
    expect(e.perHour).toEqual({ cluster: 1.411, fixed: 0.05, total: 15.571 });
    expect(e.session.total).toBe(77.855);
    expect(e.caveats).toEqual(expect.arrayContaining([expect.stringContaining(caveat)]));
    expect(formatCostReport(e)).toContain(
      `Class (${compute}): 20 students x 1 node(s) = 0.706 USD/h per student, 14.110 USD/h for the class${compute === "policy" ? " if every student starts their cluster" : ""}`,
    );
  });

  test("on GPU each student's cluster is 3 nodes", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate({ LAB_STUDENTS_FILE: roster(5), LAB_VARIANT: "gpu" });
    // 3 x (1.0 DBU x 0.55 + 0.526) = 3.228 USD/h per student
    expect(e.class).toMatchObject({ students: 5, nodesPerStudent: 3, perStudentPerHour: 3.228, perHour: 16.14 });
  });
});

describe("LAB_BUDGET: how many hours of running the budget covers", () => {
  const roster = (n: number) =>
    writeTemp("class.csv", ["email", ...Array.from({ length: n }, (_, i) => `s${i}@example.org`)].join("\n"));
  const budget = (amount: string) => ({ LAB_BUDGET: amount, LAB_BUDGET_EMAILS: "t@example.org" });

  test("one learner: the fixed month (0.05 USD/h x 730 h) first, the rest in hours of the cluster", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate(budget("100"));
    // (100 - 36.50) / 1.411 = 45.0 h
    expect(e.budget).toEqual({ amount: 100, fixedPerMonth: 36.5, runningHours: 45 });
    expect(formatCostReport(e)).toContain(
      "Budget: 100.00 USD/month (LAB_BUDGET) covers 36.50 USD of fixed costs and about 45 h of the cluster running (1.411 USD/h)",
    );
  });

  test("a class: every cluster together", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate({ ...budget("500"), LAB_STUDENTS_FILE: roster(20) });
    // (500 - 36.50) / (1.411 + 20 x 0.7055) = 463.5 / 15.521 = 29.86 h
    expect(e.budget).toEqual({ amount: 500, fixedPerMonth: 36.5, runningHours: 29.8 });
    expect(formatCostReport(e)).toContain("about 29.8 h of the clusters running (15.521 USD/h)");
  });

  test("a budget below the fixed costs covers no running hour, and says so", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate(budget("20"));
    expect(e.budget).toEqual({ amount: 20, fixedPerMonth: 36.5, runningHours: 0 });
    expect(formatCostReport(e)).toContain(
      "Budget: 20.00 USD/month (LAB_BUDGET) does not cover the fixed costs alone (36.50 USD/month)",
    );
  });

  test("without LAB_BUDGET the estimate has no budget line", async () => {
    server = await startFakePrices(ROWS);
    const e = await estimate();
    expect(e.budget).toBeUndefined();
    expect(formatCostReport(e)).not.toContain("Budget:");
  });
});
