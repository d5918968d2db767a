/** Amounts are kept to four decimals: a cent's hundredth, finer than any price list gives. */
export function roundAmount(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/** Hours in an average month, as Azure's pricing calculator counts them. */
export const HOURS_PER_MONTH = 730;
