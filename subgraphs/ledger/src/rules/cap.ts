/**
 * The most any per-member points figure may reach: GraphQL `Int`'s maximum, 2^31 − 1. Balances and
 * totals are bigint in Postgres but `Int` in the API, so a member's figures are capped when they are
 * written (a write that would pass the cap is refused with LIMIT_EXCEEDED) and a read never fails.
 * `record_purchases` receives it as an argument; the other writes check it with `wouldPassCap`.
 * See README, "Ranges".
 */
export const MEMBER_POINTS_CAP = 2_147_483_647;

/** The member figures a write can push toward the cap (as named in the API). */
export type CappedFigure = "balance" | "balanceBeforeDebt" | "lifetimeEarned" | "lifetimeRedeemed" | "points";

/** A write would take a member figure past MEMBER_POINTS_CAP (the service turns it into LIMIT_EXCEEDED). */
export class PointsCapExceeded extends Error {
  constructor(
    readonly figure: CappedFigure,
    readonly wouldBe: bigint,
  ) {
    super(`${figure} would reach ${wouldBe}, above MEMBER_POINTS_CAP (${MEMBER_POINTS_CAP})`);
  }
}

/** What `current + adding` would be when it passes the cap, else null. Exact (BigInt) whatever the inputs. */
export function wouldPassCap(current: number | bigint, adding: number | bigint): bigint | null {
  const wouldBe = BigInt(current) + BigInt(adding);
  return wouldBe > BigInt(MEMBER_POINTS_CAP) ? wouldBe : null;
}

/**
 * What a member holds in points, pending and spendable (`balanceBeforeDebt`: the balance plus what they
 * owe; a debt is owed from spendable points, so the balance is that much below what they hold), may
 * not pass the cap when points arrive that may be pending: a purchase inside its return window, its
 * bonuses, a referral bonus (the group write). Checking the balance alone, a member owing 1,000 could
 * hold 2,147,484,647 pending points, and `pending` no longer read. Points that arrive spendable (a
 * transfer, a cancellation given back, an adjustment) repay the debt first, so the balance alone binds
 * them and what the member holds stays within the cap. What it would be when it passes, else null.
 */
export function heldPointsWouldPassCap(balance: number | bigint, debt: number | bigint, adding: number | bigint): bigint | null {
  return wouldPassCap(BigInt(balance) + BigInt(debt), adding);
}
export const heldPointsFitUnderCapSql = (balance: string, debt: string, adding: string, cap: string) => `(${balance} + ${debt} + ${adding} <= ${cap})`;

/**
 * The least a member's available points may be after a debit (a negative adjustment): −MEMBER_POINTS_CAP
 * plus what later refunds may still take back (lifetime earned points and those purchases' bonuses), so that neither
 * the debit nor those refunds take `available` below what `Int` holds. What `available + adding` would
 * be when it passes below that floor, else null.
 */
export function debitFloor(lifetimeEarned: number): number {
  return -MEMBER_POINTS_CAP + Math.max(0, lifetimeEarned);
}
export function wouldPassFloor(available: number, adding: number, lifetimeEarned: number): number | null {
  const wouldBe = available + adding;
  return wouldBe < debitFloor(lifetimeEarned) ? wouldBe : null;
}
