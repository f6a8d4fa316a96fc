import { appError } from "../../../shared/src/errors";

/**
 * The most any per-member points figure may reach: GraphQL `Int`'s maximum, 2^31 − 1. Balances and
 * totals are bigint in Postgres but `Int` in the API, so a member's figures are capped when they are
 * written (a write that would pass the cap is refused with LIMIT_EXCEEDED) and a read never fails.
 * The one home of the number: `record_purchases` receives it as an argument (RecordPurchasesCapped
 * migration) and the other writes check it in TypeScript. See README, "Ranges".
 */
export const MEMBER_POINTS_CAP = 2_147_483_647;

/** The member figures a write can push toward the cap (as named in the API). */
export type CappedFigure = "balance" | "lifetimeEarned" | "lifetimeRedeemed" | "points";

const LABELS: Record<CappedFigure, string> = {
  balance: "points balance",
  lifetimeEarned: "lifetime earned points",
  lifetimeRedeemed: "lifetime redeemed points",
  points: "points of one entry",
};

/** The LIMIT_EXCEEDED error of a write that would take `figure` to `wouldBe`. */
export function memberPointsLimitExceeded(figure: CappedFigure, wouldBe: number | bigint): Error {
  return appError(
    "LIMIT_EXCEEDED",
    `This would take the member's ${LABELS[figure]} to ${wouldBe.toLocaleString("en-US")}, above the limit of ` +
      `${MEMBER_POINTS_CAP.toLocaleString("en-US")} points per member figure (MEMBER_POINTS_CAP); nothing was written`,
    { limit: MEMBER_POINTS_CAP, figure, wouldBe: Number(wouldBe) },
  );
}

/**
 * Refuses a write that adds `adding` points to a figure now at `current` when the sum would pass the
 * cap. Call it under the member's lock, with `current` read after taking it, so concurrent writes
 * queue and each sees the last one's figure.
 */
export function requireWithinCap(figure: CappedFigure, current: number, adding: number): void {
  const wouldBe = BigInt(current) + BigInt(adding);
  if (wouldBe > BigInt(MEMBER_POINTS_CAP)) throw memberPointsLimitExceeded(figure, wouldBe);
}

/**
 * A sum read from Postgres (bigint or numeric, which `pg` hands over as a string) as a JavaScript
 * number, refusing rather than rounding past 2^53 − 1, where a double can no longer count every point.
 */
export function safeIntegerFromSql(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const exact = BigInt(value);
  if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new Error(`A points total of ${exact} is beyond 2^53 − 1: it cannot be represented exactly`);
  }
  return Number(exact);
}
