import type { EstimateInput } from "./cost-estimate";
import { roundAmount } from "./amounts";
import { PRICE_SNAPSHOT, snapshotVmPrice, snapshotVmPriceElsewhere } from "./price-snapshot";
import { RetailPrice, RetailPrices, current, newest } from "./retail-prices";

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

/** Every price the estimate needs; the VM's is missing when neither the API nor the snapshot has it. */
export interface ResolvedPrices {
  readonly dbu: Price;
  readonly vm?: Price;
  readonly natGateway: Price;
  readonly publicIp: Price;
}

/**
 * The prices in the currency asked for. The fixed costs always come from the USD snapshot, so
 * another currency needs the rate, from live prices; without it the amounts stay in USD, and a
 * note says so.
 */
export async function pricesIn(
  settings: EstimateInput,
  prices: RetailPrices,
  now: Date,
): Promise<{ currency: string; resolved: ResolvedPrices; notes: string[] }> {
  const currency = settings.pricing.currency;
  const resolved = await resolvePrices(settings, currency, prices, now);
  if (currency === "USD") return { currency, resolved, notes: [] };
  const rate = await exchangeRate(settings.location, currency, prices, now);
  if (rate) return { currency, resolved: convertSnapshot(resolved, rate, currency), notes: [] };
  return {
    currency: "USD",
    resolved: await resolvePrices(settings, "USD", prices, now),
    notes: [
      `LAB_CURRENCY=${currency} was asked for, but without live prices there is nothing to convert with: amounts are in USD.`,
    ],
  };
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

export function describeSnapshot(): string {
  return Object.entries(PRICE_SNAPSHOT.vm)
    .map(([region, sizes]) => `${Object.keys(sizes).join(", ")} in ${region}`)
    .join("; ");
}

function convertSnapshot(p: ResolvedPrices, rate: number, currency: string): ResolvedPrices {
  const convert = (x: Price | undefined): Price | undefined =>
    x && x.origin === "snapshot"
      ? {
          ...x,
          value: roundAmount(x.value * rate),
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
