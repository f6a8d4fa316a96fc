/**
 * A refund's cumulative share of a purchase's points, floor(points × refunded / amount), in BigInt:
 * points (up to 2^31 − 1) times an amount (up to 10^8) passes 2^53, where a double's product is
 * rounded and its floor can be a point off.
 */
export const shareOf = (points: number, refunded: number, amount: number): number => Number((BigInt(points) * BigInt(refunded)) / BigInt(amount));
