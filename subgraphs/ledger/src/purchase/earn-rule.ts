import { MEMBER_POINTS_CAP, memberPointsLimitExceeded } from "../limits";

/** What the ledger needs to know of a partner to turn a purchase into points. */
export interface EarnRule {
  id: string;
  pointsPerUnit: number;
  currency: string;
  returnWindowDays: number;
}

/**
 * floor(amountMinor / 100 × pointsPerUnit), in integers: pointsPerUnit has at most 4 decimals, so
 * scaling it by 10,000 keeps the arithmetic exact (no 0.1 + 0.2 surprises at the floor), and BigInt
 * keeps the product exact however large. Today's input limits (amountMinor ≤ 100,000,000,
 * pointsPerUnit ≤ 1,000) make at most 1,000,000,000 base points; a result past the member cap (a limit
 * raised one day) is refused here rather than overflowing the database's int columns.
 */
export function pointsForPurchase(amountMinor: number, pointsPerUnit: number): number {
  const scaledRate = BigInt(Math.round(pointsPerUnit * 10_000));
  const points = (BigInt(amountMinor) * scaledRate) / 1_000_000n;
  if (points > BigInt(MEMBER_POINTS_CAP)) throw memberPointsLimitExceeded("points", points);
  return Number(points);
}
