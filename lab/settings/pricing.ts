import { code, invalid, parsePositiveNumber, setting, valid } from "./declaration";

export const DEFAULT_PRICES_API_URL = "https://prices.azure.com/api/retail/prices";

/** The currencies the Azure Retail Prices API answers in. */
export const PRICE_CURRENCIES = [
  "USD",
  "AUD",
  "BRL",
  "CAD",
  "CHF",
  "CNY",
  "DKK",
  "EUR",
  "GBP",
  "INR",
  "JPY",
  "KRW",
  "NOK",
  "NZD",
  "RUB",
  "SEK",
  "TWD",
];

/** Largest DBU rate per node accepted for LAB_DBU_PER_HOUR. */
export const MAX_DBU_PER_HOUR = 1000;

/** Settings only the cost estimate reads (`npm run cost`, and preflight's estimate line). */
export const PRICING_SETTINGS = {
  /** ISO code the Retail Prices API answers in. */
  currency: setting({
    env: "LAB_CURRENCY",
    scope: "pricing",
    documentedDefault: code("USD"),
    parse(raw) {
      const currency = (raw ?? "USD").toUpperCase();
      if (PRICE_CURRENCIES.includes(currency)) return valid(currency);
      return invalid(
        `must be a currency the Azure Retail Prices API answers in: ${PRICE_CURRENCIES.join(", ")}.`,
        "set LAB_CURRENCY=USD (list prices; the others are reference prices).",
      );
    },
  }),

  /** Azure Retail Prices API base URL. */
  apiUrl: setting({
    env: "LAB_PRICES_API_URL",
    scope: "pricing",
    documentedDefault: code(DEFAULT_PRICES_API_URL),
    parse(raw) {
      const url = raw ?? DEFAULT_PRICES_API_URL;
      if (/^https?:\/\/[^\s]+$/.test(url)) return valid(url);
      return invalid("must be an http(s) URL.", `unset it to use ${DEFAULT_PRICES_API_URL}.`);
    },
  }),

  /** DBU per hour per node for a size missing from the lab's size table. */
  dbuPerHour: setting({
    env: "LAB_DBU_PER_HOUR",
    scope: "pricing",
    documentedDefault: "unset",
    parse(raw) {
      if (raw === undefined) return valid<number | undefined>(undefined);
      const rate = parsePositiveNumber(raw, MAX_DBU_PER_HOUR);
      if (rate !== undefined) return valid<number | undefined>(rate);
      return invalid(
        `must be a positive number of DBUs per hour per node (for example 0.75), at most ${MAX_DBU_PER_HOUR}.`,
        "read it from the instance table of the Azure Databricks pricing page (all-purpose compute), or unset it.",
      );
    },
  }),
};
