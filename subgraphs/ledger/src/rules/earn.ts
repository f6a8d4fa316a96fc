import { PointsCapExceeded, MEMBER_POINTS_CAP } from "./cap";

/** The most a purchase may be, in minor units (10,000,000.00 would be 1,000,000,000 minor units; we stop at 1,000,000.00). */
export const MAX_AMOUNT_MINOR = 100_000_000;

/**
 * The decimals a partner's pointsPerUnit may have: the partners service refuses more (its
 * subgraphs/partners/src/rules/earn-rule.ts, which test/unit/cross-service-rules.test.ts checks this against).
 */
export const POINTS_PER_UNIT_DECIMALS = 4;
const RATE_SCALE = 10n ** BigInt(POINTS_PER_UNIT_DECIMALS);

/**
 * Base points of a purchase: floor(amountMinor / 100 × pointsPerUnit), in integers. pointsPerUnit has
 * at most 4 decimals, so scaling it by 10,000 keeps the arithmetic exact (no 0.1 + 0.2 surprises at the
 * floor: 10.00 at 0.3 earns 3, not 2), and BigInt keeps the product exact however large. A result past
 * the member cap is refused (PointsCapExceeded) rather than overflowing the database's int columns.
 */
export function basePointsForPurchase(amountMinor: number, pointsPerUnit: number): number {
  const scaledRate = BigInt(Math.round(pointsPerUnit * Number(RATE_SCALE)));
  const points = (BigInt(amountMinor) * scaledRate) / (100n * RATE_SCALE);
  if (points > BigInt(MEMBER_POINTS_CAP)) throw new PointsCapExceeded("points", points);
  return Number(points);
}
