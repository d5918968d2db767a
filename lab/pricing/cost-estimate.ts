import { join } from "node:path";
import { DBU_RATE_SOURCE, VM_SIZES, findVmSize } from "../catalog/vm-sizes";
import { UserError } from "../errors";
import { LabSettings, SettingsError } from "../settings";
import { PRICE_SNAPSHOT, snapshotVmPrice, snapshotVmPriceElsewhere } from "./price-snapshot";
import { RetailPrice, RetailPrices, current, newest } from "./retail-prices";

/** No price can be had for something the lab needs, live or bundled. */
export class EstimateError extends UserError {}

/** Sub-folder of the lab's cache folder for price answers. */
export const PRICE_CACHE = "retail-prices";
export const DEFAULT_SESSION_HOURS = 3;
/** What `npm run cost` did not do when a setting is invalid. */
export const NO_ESTIMATE = "no estimate was made";

/** What the estimate reads of the settings: the lab's shape, where it runs, and how to price it. */
export type EstimateInput = Pick<
  LabSettings,
  | "name"
  | "location"
  | "flavor"
  | "sku"
  | "nodeType"
  | "workers"
  | "autoterminationMinutes"
  | "cacheDir"
  | "pricing"
  | "classroom"
>;

/** The students' compute: per student and for the whole class. */
export interface ClassCost {
  readonly students: number;
  /** `personal` (every cluster starts at deploy) or `policy` (the cost if every student starts one). */
  readonly compute: string;
  /** Nodes of one student's cluster. */
  readonly nodesPerStudent: number;
  readonly perStudentPerHour: number;
  readonly perHour: number;
  /** The class's session: every student's cluster for the session plus its auto-termination tail. */
  readonly sessionTotal: number;
}

/** A price and where it came from. */
export interface Price {
  readonly value: number;
  /** `live` (API), `cache` (API answer under 24 hours old), `snapshot` (bundled) or `trial`. */
  readonly origin: "live" | "cache" | "snapshot" | "trial";
  /** A sentence for the reader: which meter, which date. */
  readonly note: string;
  /** The region whose price stands in for the lab's, when the snapshot lacks the lab's region. */
  readonly approximate?: string;
}

export interface NodeCost {
  readonly role: "driver" | "workers";
  readonly vmSize: string;
  readonly count: number;
  readonly dbuPerHourPerNode: number;
  readonly pricePerDbu: number;
  readonly vmPricePerHour: number;
  /** count x (DBU/h x price per DBU + VM price per hour) */
  readonly costPerHour: number;
}

export interface CostEstimate {
  readonly currency: string;
  /** `live`, `snapshot`, or `live+snapshot`. */
  readonly source: string;
  readonly lab: { readonly name: string; readonly variant: string; readonly location: string; readonly sku: string };
  readonly nodes: readonly NodeCost[];
  /** With a roster: what the students' compute adds. */
  readonly class?: ClassCost;
  readonly fixed: readonly { readonly item: string; readonly costPerHour: number }[];
  readonly perHour: { readonly cluster: number; readonly fixed: number; readonly total: number };
  readonly session: {
    readonly hours: number;
    /** The cluster keeps running this long after the last command (LAB_AUTOTERMINATION_MINUTES). */
    readonly autoterminationTailHours: number;
    readonly total: number;
  };
  readonly prices: Readonly<Record<"dbu" | "vm" | "natGateway" | "publicIp", Price>>;
  readonly dbuSource: string;
  /** Why live prices could not be read, when they could not. */
  readonly liveError?: string;
  readonly caveats: readonly string[];
}

export interface EstimateOptions {
  /**
   * Hours of active use in a session.
   * @default 3
   */
  readonly hours?: number;
  /**
   * Clock, for price dates and the cache.
   * @default - the system clock
   */
  readonly now?: () => Date;
  /**
   * Price client.
   * @default - the Retail Prices API at settings.pricing.apiUrl, cached under settings.cacheDir
   */
  readonly prices?: RetailPrices;
}

/** What the lab the settings describe costs per hour and per session, from Azure's public prices. */
export async function estimateCost(settings: EstimateInput, options: EstimateOptions = {}): Promise<CostEstimate> {
  const now = (options.now ?? (() => new Date()))();
  const dbuRate = settings.pricing.dbuPerHour ?? findVmSize(settings.nodeType)?.dbuPerHour;
  if (dbuRate === undefined) {
    const priced = VM_SIZES.filter((s) => s.dbuPerHour !== undefined).map((s) => s.name);
    throw new SettingsError(
      [
        {
          setting: "LAB_DBU_PER_HOUR",
          problem: `must be set for ${settings.nodeType}: it is not in the lab's size table (${priced.join(", ")}), and the estimate does not guess.`,
          fix: `read the DBU/hour of ${settings.nodeType} from the instance table of the Azure Databricks pricing page (all-purpose compute) and set LAB_DBU_PER_HOUR to it.`,
        },
      ],
      NO_ESTIMATE,
    );
  }
  const prices =
    options.prices ??
    new RetailPrices({
      apiUrl: settings.pricing.apiUrl,
      cacheDir: join(settings.cacheDir, PRICE_CACHE),
      now: () => now,
    });

  let currency = settings.pricing.currency;
  let resolved = await resolvePrices(settings, currency, prices, now);
  const notes: string[] = [];
  // The fixed costs always come from the USD snapshot, so another currency always needs the rate.
  if (currency !== "USD") {
    const rate = await exchangeRate(settings.location, currency, prices, now);
    if (rate) {
      resolved = convertSnapshot(resolved, rate, currency);
    } else {
      notes.push(
        `LAB_CURRENCY=${currency} was asked for, but without live prices there is nothing to convert with: amounts are in USD.`,
      );
      currency = "USD";
      resolved = await resolvePrices(settings, currency, prices, now);
    }
  }
  if (resolved.vm === undefined) {
    throw new EstimateError(
      [
        `No price for ${settings.nodeType} in ${settings.location}: ${prices.failure ? `the Retail Prices API could not be reached (${prices.failure})` : "the Retail Prices API has no Linux pay-as-you-go row for it"}, and the bundled snapshot covers only ${describeSnapshot()}.`,
        "Fix: run again with network access to prices.azure.com.",
      ].join("\n"),
    );
  }
  if (resolved.vm.approximate) {
    notes.push(
      `The VM price is ${resolved.vm.approximate}'s: the snapshot has no ${settings.nodeType} price for ${settings.location}, and regional prices differ by up to a few tens of percent. Run online for the exact figure.`,
    );
  }
  const { dbu, vm, natGateway, publicIp } = resolved as Required<ResolvedPrices>;

  const perNode = dbuRate * dbu.value + vm.value;
  const nodes: NodeCost[] = [
    { role: "driver", count: 1 },
    { role: "workers", count: settings.workers },
  ].map(({ role, count }) => ({
    role: role as NodeCost["role"],
    vmSize: settings.nodeType,
    count,
    dbuPerHourPerNode: dbuRate,
    pricePerDbu: dbu.value,
    vmPricePerHour: vm.value,
    costPerHour: round(count * perNode),
  }));
  const fixed = [
    { item: "NAT gateway (secure cluster connectivity, managed resource group)", costPerHour: natGateway.value },
    { item: "Standard static public IP of the NAT gateway", costPerHour: publicIp.value },
  ];
  const cluster = round((settings.workers + 1) * perNode);
  const fixedTotal = round(natGateway.value + publicIp.value);
  const hours = options.hours ?? DEFAULT_SESSION_HOURS;
  const tail = settings.autoterminationMinutes / 60;
  const classCost =
    settings.classroom && classCostOf(settings.classroom, settings.flavor.student.workers + 1, perNode, hours + tail);
  const running = round(cluster + (classCost?.perHour ?? 0));
  const origins = new Set<string>(
    [dbu, vm, natGateway, publicIp].map((p) => (p.origin === "cache" ? "live" : p.origin)),
  );

  return {
    currency,
    source: ["live", "snapshot"].filter((o) => origins.has(o)).join("+"),
    lab: { name: settings.name, variant: settings.flavor.name, location: settings.location, sku: settings.sku },
    nodes,
    fixed,
    ...(classCost ? { class: classCost } : {}),
    perHour: { cluster, fixed: fixedTotal, total: round(running + fixedTotal) },
    session: { hours, autoterminationTailHours: round(tail), total: round((running + fixedTotal) * (hours + tail)) },
    prices: { dbu, vm, natGateway, publicIp },
    liveError: prices.failure,
    dbuSource:
      settings.pricing.dbuPerHour !== undefined
        ? `LAB_DBU_PER_HOUR=${settings.pricing.dbuPerHour}`
        : `${DBU_RATE_SOURCE.text} (${DBU_RATE_SOURCE.date})`,
    caveats: [
      ...notes,
      currency === "USD" ? "List prices in USD." : `Reference prices in ${currency}: Azure bills in USD and converts.`,
      "No tax, no negotiated discounts, reservations or savings plans.",
      "Not included: OS and data disks of the nodes, the workspace's storage account, NAT gateway data processing (per GB) and egress.",
      `The session counts ${hours} h of use plus the ${settings.autoterminationMinutes}-minute auto-termination tail; the workspace's fixed costs run as long as it exists.`,
      ...(settings.sku === "trial"
        ? ["Trial workspace: DBUs are free for 14 days; VM and network costs are billed."]
        : []),
      ...(classCost?.compute === "personal"
        ? [
            "Personal compute: the deploy starts every student's cluster; each runs until its auto-termination, used or not.",
          ]
        : classCost
          ? [
              "Policy compute: nothing runs until a student starts their cluster; the class figures assume all of them do.",
            ]
          : []),
    ],
  };
}

function classCostOf(
  classroom: NonNullable<EstimateInput["classroom"]>,
  nodesPerStudent: number,
  perNode: number,
  sessionHours: number,
): ClassCost {
  const students = classroom.roster.students.length;
  const perStudentPerHour = round(nodesPerStudent * perNode);
  const perHour = round(students * perStudentPerHour);
  return {
    students,
    compute: classroom.compute.name,
    nodesPerStudent,
    perStudentPerHour,
    perHour,
    sessionTotal: round(perHour * sessionHours),
  };
}

interface ResolvedPrices {
  readonly dbu: Price;
  readonly vm?: Price;
  readonly natGateway: Price;
  readonly publicIp: Price;
}

async function resolvePrices(
  settings: EstimateInput,
  currency: string,
  prices: RetailPrices,
  now: Date,
): Promise<ResolvedPrices> {
  const dbu =
    settings.sku === "trial"
      ? { value: 0, origin: "trial" as const, note: "free during the 14-day trial" }
      : ((await liveDbu(settings.location, currency, prices, now)) ?? {
          value: PRICE_SNAPSHOT.dbu.premiumAllPurpose,
          origin: "snapshot" as const,
          note: `Premium All-purpose Compute, ${PRICE_SNAPSHOT.source}`,
        });
  const vm =
    (await liveVm(settings.location, settings.nodeType, currency, prices, now)) ??
    snapshotVm(settings.location, settings.nodeType);
  return {
    dbu,
    vm,
    natGateway: {
      value: PRICE_SNAPSHOT.natGatewayPerHour,
      origin: "snapshot",
      note: `NAT gateway hourly, ${PRICE_SNAPSHOT.source}`,
    },
    publicIp: {
      value: PRICE_SNAPSHOT.publicIpPerHour,
      origin: "snapshot",
      note: `standard static public IP, ${PRICE_SNAPSHOT.source}`,
    },
  };
}

function snapshotVm(region: string, size: string): Price | undefined {
  const here = snapshotVmPrice(region, size);
  if (here !== undefined)
    return { value: here, origin: "snapshot", note: `${size} Linux in ${region}, ${PRICE_SNAPSHOT.source}` };
  const elsewhere = snapshotVmPriceElsewhere(size);
  return (
    elsewhere && {
      value: elsewhere.value,
      origin: "snapshot",
      approximate: elsewhere.region,
      note: `${size} Linux in ${elsewhere.region}, standing in for ${region} (approximate), ${PRICE_SNAPSHOT.source}`,
    }
  );
}

function describeSnapshot(): string {
  return Object.entries(PRICE_SNAPSHOT.vm)
    .map(([region, sizes]) => `${Object.keys(sizes).join(", ")} in ${region}`)
    .join("; ");
}

function convertSnapshot(p: ResolvedPrices, rate: number, currency: string): ResolvedPrices {
  const convert = (x: Price | undefined): Price | undefined =>
    x && x.origin === "snapshot"
      ? {
          ...x,
          value: round(x.value * rate),
          note: `${x.note}, converted from USD at ${rate.toFixed(4)} (the ratio of live USD and ${currency} DBU prices)`,
        }
      : x;
  return {
    dbu: convert(p.dbu)!,
    vm: convert(p.vm),
    natGateway: convert(p.natGateway)!,
    publicIp: convert(p.publicIp)!,
  };
}

/** Azure converts every meter at one rate: the live DBU price in both currencies gives it. */
async function exchangeRate(
  region: string,
  currency: string,
  prices: RetailPrices,
  now: Date,
): Promise<number | undefined> {
  const [usd, other] = [await liveDbu(region, "USD", prices, now), await liveDbu(region, currency, prices, now)];
  return usd && other && usd.value > 0 ? other.value / usd.value : undefined;
}

async function liveDbu(region: string, currency: string, prices: RetailPrices, now: Date): Promise<Price | undefined> {
  const answer = await prices.query(
    { serviceName: "Azure Databricks", armRegionName: region, priceType: "Consumption" },
    currency,
  );
  if (!answer) return undefined;
  const row = newest(
    current(answer.items, now).filter(
      (i) =>
        i.skuName.toLowerCase() === "premium all-purpose compute" &&
        /hour/i.test(i.unitOfMeasure) &&
        i.type === "Consumption",
    ),
  );
  return row && price(row, answer.origin, answer.fetchedAt, `Premium All-purpose Compute (${row.meterName})`);
}

async function liveVm(
  region: string,
  size: string,
  currency: string,
  prices: RetailPrices,
  now: Date,
): Promise<Price | undefined> {
  const answer = await prices.query(
    { serviceName: "Virtual Machines", armRegionName: region, armSkuName: size, priceType: "Consumption" },
    currency,
  );
  if (!answer) return undefined;
  const linuxPayAsYouGo = current(answer.items, now).filter(
    (i) =>
      i.type === "Consumption" &&
      i.unitOfMeasure === "1 Hour" &&
      !/windows/i.test(i.productName) &&
      !/spot|low priority/i.test(`${i.skuName} ${i.meterName}`) &&
      i.retailPrice > 0,
  );
  const primary = linuxPayAsYouGo.filter((i) => i.isPrimaryMeterRegion !== false);
  const row = newest(primary.length ? primary : linuxPayAsYouGo);
  return row && price(row, answer.origin, answer.fetchedAt, `${size} Linux in ${region} (${row.meterName})`);
}

function price(row: RetailPrice, origin: "live" | "cache", fetchedAt: string, what: string): Price {
  return {
    value: row.retailPrice,
    origin,
    note: `${what}, Retail Prices API, ${origin === "cache" ? "cached answer of" : "read"} ${fetchedAt.slice(0, 10)}`,
  };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/** The estimate as a person reads it in a terminal. */
export function formatCostReport(e: CostEstimate): string {
  const money = (v: number, digits = 3) => v.toFixed(digits);
  const header = [
    "role",
    "VM size",
    "count",
    "DBU/h/node",
    `${e.currency}/DBU`,
    `VM ${e.currency}/h/node`,
    `${e.currency}/h`,
  ];
  const rows = e.nodes.map((n) => [
    n.role,
    n.vmSize,
    String(n.count),
    String(n.dbuPerHourPerNode),
    money(n.pricePerDbu),
    money(n.vmPricePerHour),
    money(n.costPerHour),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const sourceLabel =
    e.source === "snapshot"
      ? "bundled snapshot (no live prices)"
      : e.source === "live"
        ? "live prices"
        : "live prices and the bundled snapshot";
  return [
    `Cost estimate for lab ${e.lab.name}: ${e.lab.variant} cluster in ${e.lab.location}, ${e.lab.sku} workspace (${e.currency}, ${sourceLabel})`,
    "",
    line(header),
    ...rows.map(line),
    "",
    ...e.fixed.map((f) => `fixed: ${f.item}: ${money(f.costPerHour)} ${e.currency}/h`),
    "",
    `Cluster while running:            ${money(e.perHour.cluster)} ${e.currency}/h`,
    ...(e.class
      ? [
          `Class (${e.class.compute}): ${e.class.students} students x ${e.class.nodesPerStudent} node(s) = ${money(e.class.perStudentPerHour)} ${e.currency}/h per student, ${money(e.class.perHour)} ${e.currency}/h for the class${e.class.compute === "policy" ? " if every student starts their cluster" : ""}`,
        ]
      : []),
    `Fixed while the workspace exists: ${money(e.perHour.fixed)} ${e.currency}/h`,
    `Total while the ${e.class ? "clusters run: " : "cluster runs:  "}   ${money(e.perHour.total)} ${e.currency}/h`,
    `Session: ${e.session.hours} h of use + ${e.session.autoterminationTailHours} h auto-termination tail = ${money(e.session.total, 2)} ${e.currency}`,
    "",
    "Where the prices come from:",
    ...(e.liveError ? [`  (live prices could not be read from the Retail Prices API: ${e.liveError})`] : []),
    `  DBU price:      ${e.prices.dbu.note}`,
    `  VM price:       ${e.prices.vm.note}`,
    `  NAT gateway:    ${e.prices.natGateway.note}`,
    `  Public IP:      ${e.prices.publicIp.note}`,
    `  DBU per hour:   ${e.dbuSource}`,
    "",
    "Caveats:",
    ...e.caveats.map((c) => `  - ${c}`),
  ].join("\n");
}
