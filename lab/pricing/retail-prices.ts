import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { FetchOptions, fetchWithRetry } from "../net/http";

/** One row of the Azure Retail Prices API (the fields the lab reads). */
export interface RetailPrice {
  readonly currencyCode: string;
  readonly retailPrice: number;
  readonly armRegionName: string;
  readonly armSkuName?: string;
  readonly serviceName: string;
  readonly productName: string;
  readonly skuName: string;
  readonly meterName: string;
  readonly type: string;
  readonly unitOfMeasure: string;
  readonly effectiveStartDate?: string;
  readonly effectiveEndDate?: string;
  readonly isPrimaryMeterRegion?: boolean;
}

export interface RetailPricesOptions {
  /** API base URL (LAB_PRICES_API_URL). */
  readonly apiUrl: string;
  /** Folder for answers, kept 24 hours. */
  readonly cacheDir: string;
  /**
   * Clock, for cache age.
   * @default - the system clock
   */
  readonly now?: () => Date;
  /**
   * HTTP behaviour.
   * @default - 15 s per attempt, 3 attempts, 500 ms first backoff
   */
  readonly http?: FetchOptions;
}

/** Where an answer came from. */
export interface PriceAnswer {
  readonly items: RetailPrice[];
  readonly origin: "live" | "cache";
  /** When the answer was fetched (ISO date). */
  readonly fetchedAt: string;
}

const API_VERSION = "2023-01-01-preview";
const CACHE_HOURS = 24;
const MAX_PAGES = 50;

/**
 * Reads the Azure Retail Prices API: builds the OData filter, follows NextPageLink, caches each
 * answer for 24 hours (written atomically). After one query fails for good, the rest of this run
 * goes straight to the fallback instead of waiting on the network again.
 */
export class RetailPrices {
  private unreachable: string | undefined;

  /** Answers of this run, by URL: the estimate asks some twice (the DBU price, for the exchange rate). */
  private readonly answers = new Map<string, PriceAnswer>();

  constructor(private readonly options: RetailPricesOptions) {}

  /** Why the API was given up on in this run, if it was. */
  public get failure(): string | undefined {
    return this.unreachable;
  }

  async query(filter: Readonly<Record<string, string>>, currency: string): Promise<PriceAnswer | undefined> {
    const odata = Object.entries(filter)
      .map(([field, value]) => `${field} eq '${value.replace(/'/g, "''")}'`)
      .join(" and ");
    const url = `${this.options.apiUrl}?api-version=${API_VERSION}&currencyCode='${currency}'&$filter=${encodeURIComponent(odata)}`;
    const known = this.answers.get(url);
    if (known) return known;
    const answer = await this.fetchOrReadCache(url);
    if (answer) this.answers.set(url, answer);
    return answer;
  }

  private async fetchOrReadCache(url: string): Promise<PriceAnswer | undefined> {
    const now = (this.options.now ?? (() => new Date()))();
    const cached = this.readCache(url, now);
    if (cached) return cached;
    if (this.unreachable) return undefined;
    try {
      const items: RetailPrice[] = [];
      let next: string | undefined = url;
      for (let page = 0; next && page < MAX_PAGES; page++) {
        const body = await fetchWithRetry(next, {
          timeoutMs: 15_000,
          attempts: 3,
          retryDelayMs: 500,
          what: "a price list page",
          ...this.options.http,
        });
        const json = JSON.parse(body.toString("utf8")) as { Items?: RetailPrice[]; NextPageLink?: string | null };
        items.push(...(json.Items ?? []));
        next = json.NextPageLink ?? undefined;
      }
      const answer: PriceAnswer = { items, origin: "live", fetchedAt: now.toISOString() };
      this.writeCacheQuietly(url, answer);
      return answer;
    } catch (e) {
      this.unreachable = (e as Error).message;
      return undefined;
    }
  }

  private cacheFile(url: string): string {
    return join(this.options.cacheDir, `${createHash("sha256").update(url).digest("hex")}.json`);
  }

  private readCache(url: string, now: Date): PriceAnswer | undefined {
    const file = this.cacheFile(url);
    if (!existsSync(file)) return undefined;
    try {
      const entry = JSON.parse(readFileSync(file, "utf8")) as { url: string; fetchedAt: string; items: RetailPrice[] };
      const ageHours = (now.getTime() - new Date(entry.fetchedAt).getTime()) / 3_600_000;
      if (entry.url !== url || !(ageHours >= 0 && ageHours < CACHE_HOURS)) return undefined;
      return { items: entry.items, origin: "cache", fetchedAt: entry.fetchedAt };
    } catch {
      return undefined;
    }
  }

  /** A cache that cannot be written (read-only folder) costs speed next time, not this answer. */
  private writeCacheQuietly(url: string, answer: PriceAnswer): void {
    try {
      mkdirSync(this.options.cacheDir, { recursive: true });
      writeFileAtomic.sync(
        this.cacheFile(url),
        JSON.stringify({ url, fetchedAt: answer.fetchedAt, items: answer.items }),
      );
    } catch {
      // the answer is still used; the next run asks the API again
    }
  }
}

/** Rows still billed today. */
export function current(items: readonly RetailPrice[], now: Date): RetailPrice[] {
  return items.filter((i) => !i.effectiveEndDate || new Date(i.effectiveEndDate) > now);
}

/** The latest of several rows for one meter. */
export function newest(items: readonly RetailPrice[]): RetailPrice | undefined {
  return [...items].sort((a, b) => (b.effectiveStartDate ?? "").localeCompare(a.effectiveStartDate ?? ""))[0];
}
