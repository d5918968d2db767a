import { RetailPrice } from "../../lab/pricing/retail-prices";
import { TestServer, startServer } from "./http-server";

export function vmRow(price: number, overrides: Partial<RetailPrice> = {}): RetailPrice {
  return {
    currencyCode: "USD",
    retailPrice: price,
    armRegionName: "eastus",
    armSkuName: "Standard_DS3_v2",
    serviceName: "Virtual Machines",
    productName: "Virtual Machines DSv2 Series",
    skuName: "DS3 v2",
    meterName: "D3 v2/DS3 v2",
    type: "Consumption",
    unitOfMeasure: "1 Hour",
    effectiveStartDate: "2024-05-01T00:00:00Z",
    isPrimaryMeterRegion: true,
    ...overrides,
  };
}

export function dbuRow(price: number, overrides: Partial<RetailPrice> = {}): RetailPrice {
  return {
    currencyCode: "USD",
    retailPrice: price,
    armRegionName: "eastus",
    serviceName: "Azure Databricks",
    productName: "Azure Databricks",
    skuName: "Premium All-purpose Compute",
    meterName: "Premium All-purpose Compute DBU",
    type: "Consumption",
    unitOfMeasure: "1 Hour",
    effectiveStartDate: "2023-01-01T00:00:00Z",
    ...overrides,
  };
}

export interface FakePrices extends TestServer {
  readonly apiUrl: string;
}

/**
 * Answers like the Azure Retail Prices API: rows chosen by the OData filter and currencyCode,
 * two to a page, chained by NextPageLink. `fail` may answer a request with an error status.
 */
export async function startFakePrices(
  rows: readonly RetailPrice[],
  fail: (request: number) => number | undefined = () => undefined,
): Promise<FakePrices> {
  let count = 0;
  const server = await startServer({}, (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    count += 1;
    const status = fail(count);
    if (status) {
      res
        .writeHead(status, status === 429 ? { "retry-after": "0" } : {})
        .end(JSON.stringify({ Error: "fake failure" }));
      return;
    }
    const filter = url.searchParams.get("$filter") ?? "";
    const wanted = Object.fromEntries([...filter.matchAll(/(\w+) eq '([^']*)'/g)].map((m) => [m[1], m[2]]));
    const currency = /'(\w+)'/.exec(url.searchParams.get("currencyCode") ?? "")?.[1] ?? "USD";
    const matching = rows.filter(
      (r) =>
        r.currencyCode === currency &&
        r.serviceName === wanted.serviceName &&
        r.armRegionName === wanted.armRegionName &&
        (wanted.armSkuName === undefined || r.armSkuName === wanted.armSkuName) &&
        (wanted.priceType === undefined || r.type === wanted.priceType),
    );
    const skip = Number(url.searchParams.get("$skip") ?? 0);
    const page = matching.slice(skip, skip + 2);
    const rest = url.search.replace(/&\$skip=\d+/, "");
    const next =
      skip + 2 < matching.length ? `http://${req.headers.host}${url.pathname}${rest}&$skip=${skip + 2}` : null;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        BillingCurrency: currency,
        CustomerEntityId: "Default",
        CustomerEntityType: "Retail",
        Items: page,
        NextPageLink: next,
        Count: page.length,
      }),
    );
  });
  return { ...server, apiUrl: `${server.url}/api/retail/prices` };
}
