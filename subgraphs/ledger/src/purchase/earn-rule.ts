/** What the ledger needs to know of a partner to turn a purchase into points. */
export interface EarnRule {
  id: string;
  pointsPerUnit: number;
  currency: string;
  returnWindowDays: number;
}

/**
 * floor(amountMinor / 100 × pointsPerUnit), in integers: pointsPerUnit has at most 4 decimals, so
 * scaling it by 10,000 keeps the arithmetic exact (no 0.1 + 0.2 surprises at the floor).
 */
export function pointsForPurchase(amountMinor: number, pointsPerUnit: number): number {
  const scaledRate = BigInt(Math.round(pointsPerUnit * 10_000));
  return Number((BigInt(amountMinor) * scaledRate) / 1_000_000n);
}
