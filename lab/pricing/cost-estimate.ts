import { join } from "node:path";
import { clusterNodes } from "../catalog/lab-variant";
import { DBU_RATE_SOURCE, VM_SIZES, findVmSize } from "../catalog/vm-sizes";
import { UserError } from "../errors";
import { LabSettings, SettingsError } from "../settings";
import { HOURS_PER_MONTH, roundAmount } from "./amounts";
import { Price, ResolvedPrices, describeSnapshot, pricesIn } from "./price-resolution";
import { RetailPrices } from "./retail-prices";

export type { Price } from "./price-resolution";

/** No price can be had for something the lab needs, live or bundled. */
export class EstimateError extends UserError {
  constructor(
    /** What has no price, and why. */
    public readonly problem: string,
    public readonly fix: string,
  ) {
    super(`${problem}\nFix: ${fix}`);
  }
}

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
  | "variant"
  | "sku"
  | "nodeType"
  | "workers"
  | "autoterminationMinutes"
  | "cacheDir"
  | "pricing"
  | "classroom"
  | "budget"
>;

/** What a monthly budget (LAB_BUDGET) buys at the estimate's prices. */
export interface BudgetCoverage {
  readonly amount: number;
  /** What the workspace costs in a month whatever runs (NAT gateway, public IP). */
  readonly fixedPerMonth: number;
  /** Hours of every cluster running that the rest of the budget pays for; 0 when the fixed costs use it up. */
  readonly runningHours: number;
}

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
  /** With LAB_BUDGET: how many hours of running it covers. */
  readonly budget?: BudgetCoverage;
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
  const dbuRate = dbuRateOf(settings);
  const prices =
    options.prices ??
    new RetailPrices({
      apiUrl: settings.pricing.apiUrl,
      cacheDir: join(settings.cacheDir, PRICE_CACHE),
      now: () => now,
    });
  const { currency, resolved, notes } = await pricesIn(settings, prices, now);
  if (resolved.vm === undefined) {
    throw new EstimateError(
      `No price for ${settings.nodeType} in ${settings.location}: ${prices.failure ? `the Retail Prices API could not be reached (${prices.failure})` : "the Retail Prices API has no Linux pay-as-you-go row for it"}, and the bundled snapshot covers only ${describeSnapshot()}.`,
      "run again with network access to prices.azure.com.",
    );
  }
  if (resolved.vm.approximate) {
    notes.push(
      `The VM price is ${resolved.vm.approximate}'s: the snapshot has no ${settings.nodeType} price for ${settings.location}, and regional prices differ by up to a few tens of percent. Run online for the exact figure.`,
    );
  }
  const { dbu, vm, natGateway, publicIp } = resolved as Required<ResolvedPrices>;

  const perNode = dbuRate * dbu.value + vm.value;
  const cluster = roundAmount(clusterNodes(settings.workers) * perNode);
  const fixedTotal = roundAmount(natGateway.value + publicIp.value);
  const hours = options.hours ?? DEFAULT_SESSION_HOURS;
  const tail = settings.autoterminationMinutes / 60;
  const classCost = settings.classroom && classCostOf(settings, perNode, hours + tail);
  const running = roundAmount(cluster + (classCost?.perHour ?? 0));
  const origins = new Set<string>(
    [dbu, vm, natGateway, publicIp].map((p) => (p.origin === "cache" ? "live" : p.origin)),
  );

  return {
    currency,
    source: ["live", "snapshot"].filter((o) => origins.has(o)).join("+"),
    lab: { name: settings.name, variant: settings.variant.name, location: settings.location, sku: settings.sku },
    nodes: nodeCosts(settings, dbuRate, dbu.value, vm.value),
    fixed: [
      { item: "NAT gateway (secure cluster connectivity, managed resource group)", costPerHour: natGateway.value },
      { item: "Standard static public IP of the NAT gateway", costPerHour: publicIp.value },
    ],
    ...(classCost ? { class: classCost } : {}),
    perHour: { cluster, fixed: fixedTotal, total: roundAmount(running + fixedTotal) },
    session: {
      hours,
      autoterminationTailHours: roundAmount(tail),
      total: roundAmount((running + fixedTotal) * (hours + tail)),
    },
    ...(settings.budget !== undefined ? { budget: budgetCoverage(settings.budget, fixedTotal, running) } : {}),
    prices: { dbu, vm, natGateway, publicIp },
    liveError: prices.failure,
    dbuSource:
      settings.pricing.dbuPerHour !== undefined
        ? `LAB_DBU_PER_HOUR=${settings.pricing.dbuPerHour}`
        : `${DBU_RATE_SOURCE.text} (${DBU_RATE_SOURCE.date})`,
    caveats: [...notes, ...caveats(settings, currency, hours, classCost)],
  };
}

/** DBUs per hour of one node: the setting, else the size table; never guessed. */
function dbuRateOf(settings: EstimateInput): number {
  const dbuRate = settings.pricing.dbuPerHour ?? findVmSize(settings.nodeType)?.dbuPerHour;
  if (dbuRate !== undefined) return dbuRate;
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

/** The lab's own cluster: its driver and its workers. */
function nodeCosts(settings: EstimateInput, dbuRate: number, pricePerDbu: number, vmPrice: number): NodeCost[] {
  const perNode = dbuRate * pricePerDbu + vmPrice;
  const roles: { role: NodeCost["role"]; count: number }[] = [
    { role: "driver", count: 1 },
    { role: "workers", count: settings.workers },
  ];
  return roles.map(({ role, count }) => ({
    role,
    vmSize: settings.nodeType,
    count,
    dbuPerHourPerNode: dbuRate,
    pricePerDbu,
    vmPricePerHour: vmPrice,
    costPerHour: roundAmount(count * perNode),
  }));
}

function caveats(settings: EstimateInput, currency: string, hours: number, classCost?: ClassCost): string[] {
  return [
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
  ];
}

function classCostOf(settings: EstimateInput, perNode: number, sessionHours: number): ClassCost {
  const classroom = settings.classroom!;
  const students = classroom.roster.students.length;
  const nodesPerStudent = settings.variant.nodesPerStudent;
  const perStudentPerHour = roundAmount(nodesPerStudent * perNode);
  const perHour = roundAmount(students * perStudentPerHour);
  return {
    students,
    compute: classroom.compute.name,
    nodesPerStudent,
    perStudentPerHour,
    perHour,
    sessionTotal: roundAmount(perHour * sessionHours),
  };
}

/**
 * The fixed costs bill all month; what is left pays for hours of the lab's clusters (the class's
 * too) running, counted down to a tenth of an hour.
 */
function budgetCoverage(amount: number, fixedPerHour: number, runningPerHour: number): BudgetCoverage {
  const fixedPerMonth = Math.round(fixedPerHour * HOURS_PER_MONTH * 100) / 100;
  const left = amount - fixedPerMonth;
  const runningHours = left <= 0 || runningPerHour <= 0 ? 0 : Math.floor((left / runningPerHour) * 10) / 10;
  return { amount, fixedPerMonth, runningHours };
}
