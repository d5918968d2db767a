/**
 * Prices bundled for when the Retail Prices API cannot be reached or has no matching row: USD,
 * list, Linux pay-as-you-go, per hour. Figures as read from the Azure Retail Prices API and
 * Azure's pricing pages for this project in 2026-11. Only what was read is here: a size or region
 * missing from the snapshot needs the live API.
 */
export const PRICE_SNAPSHOT = {
  date: "2026-11",
  currency: "USD",
  source: "Azure Retail Prices API and Azure pricing pages, read 2026-11 (bundled snapshot)",
  /** Per DBU, the same in every region. */
  dbu: { premiumAllPurpose: 0.55, premiumJobs: 0.3 },
  /** VM per hour, by region and size. */
  vm: {
    eastus: { Standard_DS3_v2: 0.293, Standard_NC4as_T4_v3: 0.526 },
    westeurope: { Standard_NC4as_T4_v3: 0.658 },
    japaneast: { Standard_NC4as_T4_v3: 0.71 },
  } as Readonly<Record<string, Readonly<Record<string, number>>>>,
  /** Secure cluster connectivity puts these in the managed resource group. */
  natGatewayPerHour: 0.045,
  publicIpPerHour: 0.005,
} as const;

export function snapshotVmPrice(region: string, size: string): number | undefined {
  const prices = PRICE_SNAPSHOT.vm[region] ?? {};
  const key = Object.keys(prices).find((k) => k.toLowerCase() === size.toLowerCase());
  return key === undefined ? undefined : prices[key];
}

/** The size's price in some region of the snapshot (eastus first), to stand in for a region it lacks. */
export function snapshotVmPriceElsewhere(size: string): { region: string; value: number } | undefined {
  const regions = Object.keys(PRICE_SNAPSHOT.vm).sort((a, b) => Number(b === "eastus") - Number(a === "eastus"));
  for (const region of regions) {
    const value = snapshotVmPrice(region, size);
    if (value !== undefined) return { region, value };
  }
  return undefined;
}
