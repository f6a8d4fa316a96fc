/**
 * Refunds claw back a purchase's points in proportion to the amount refunded, cumulatively: after
 * refunds totalling `refunded` of a purchase of `amount`, floor(points × refunded / amount) of its
 * points (and as much of its base points, likewise) have been taken back. Rounding down each
 * cumulative share means a partial refund never takes a point too many, and the last refund (refunded
 * = amount) takes exactly what is left, so all refunds together take back exactly what the purchase earned.
 *
 * Where the points come from, in order: the purchase's own lot (even while pending); then what that lot,
 * and every lot its points moved to (`origin_lot_id`: given back by a cancelled redemption, received by
 * a transfer), lost to expiry and no refund has taken back yet, taken back from the issuer's breakage (the expiry
 * credited the issuer its share of those points, and the refund credits it their full price: without
 * this it was credited twice, and the member charged again for points already lost); then the
 * member's spendable points, nearest expiry first; what is still missing becomes a debt. Pending points
 * of other purchases are not touched. A bonus's reversal takes from its own lot the same way.
 */

/** floor(points × refunded / amount), in BigInt: points (up to 2^31 − 1) times an amount (up to 10^8) passes 2^53. */
export const shareOf = (points: number, refunded: number, amount: number): number => Number((BigInt(points) * BigInt(refunded)) / BigInt(amount));
/** shareOf as SQL, exact in numeric (test/ledger-sql.test.ts evaluates it against shareOf). */
export const shareOfSql = (points: string, refunded: string, amount: string) => `floor(${points}::numeric * ${refunded} / ${amount})`;

export interface RefundedPurchase {
  amountMinor: number;
  refundedMinor: number;
  points: number;
  basePoints: number;
  reversedPoints: number;
  reversedBasePoints: number;
}

export type Clawback =
  | { ok: true; refundedMinor: number; points: number; basePoints: number }
  | { ok: false; refundable: number };

/** What a new refund of `amountMinor` takes back, or how much is left to refund when it is too much. */
export function clawbackFor(purchase: RefundedPurchase, amountMinor: number): Clawback {
  const refunded = purchase.refundedMinor + amountMinor;
  if (refunded > purchase.amountMinor) return { ok: false, refundable: purchase.amountMinor - purchase.refundedMinor };
  return {
    ok: true,
    refundedMinor: refunded,
    points: shareOf(purchase.points, refunded, purchase.amountMinor) - purchase.reversedPoints,
    basePoints: shareOf(purchase.basePoints, refunded, purchase.amountMinor) - purchase.reversedBasePoints,
  };
}

/**
 * How many of the `points` a refund takes back come from what the refunded lot lost to expiry: its
 * `expired` points less those earlier refunds already took back (`takenBack`), at most `points`. The
 * rest comes from the member (their lots, or a debt).
 */
export function fromExpired(points: number, expired: number, takenBack: number): number {
  return Math.max(0, Math.min(points, expired - takenBack));
}
