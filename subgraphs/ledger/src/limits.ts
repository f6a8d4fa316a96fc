import { appError } from "../../../shared/src/errors";
import { type CappedFigure, MEMBER_POINTS_CAP, PointsCapExceeded, wouldPassCap } from "./rules";

/**
 * The member points cap as the API reports it: the rule (MEMBER_POINTS_CAP, `wouldPassCap`) is in
 * ./rules/cap.ts; this turns a breach into LIMIT_EXCEEDED. See README, "Ranges".
 */
export { type CappedFigure, MEMBER_POINTS_CAP } from "./rules";

const LABELS: Record<CappedFigure, string> = {
  balance: "points balance",
  balanceBeforeDebt: "points held (the balance plus what they owe, pending points included)",
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
 * The same refusal for a caller who may not read the member's figures (a partner app recording a
 * purchase, which it may do for any member id): it names the limit and the figure, never what the figure would
 * reach, which is the member's own total plus the points (README, Ranges).
 */
export function memberPointsLimitExceededUndisclosed(figure: CappedFigure): Error {
  return appError(
    "LIMIT_EXCEEDED",
    `This would take the member's ${LABELS[figure]} past the limit of ${MEMBER_POINTS_CAP.toLocaleString("en-US")} points per member figure (MEMBER_POINTS_CAP); nothing was written`,
    { limit: MEMBER_POINTS_CAP, figure },
  );
}

/** The LIMIT_EXCEEDED of a debit that would take the member's available points to `wouldBe`, below `floor` (rules/cap.ts `debitFloor`). */
export function memberDebtLimitExceeded(wouldBe: number, floor: number): Error {
  return appError(
    "LIMIT_EXCEEDED",
    `This would take the member's available points to ${wouldBe.toLocaleString("en-US")}, below the least they may owe ` +
      `(${floor.toLocaleString("en-US")}: -${MEMBER_POINTS_CAP.toLocaleString("en-US")} (MEMBER_POINTS_CAP) plus what refunds may still take back: their lifetime earned points and those purchases' bonuses); nothing was written`,
    { limit: floor, figure: "balance", wouldBe },
  );
}

/**
 * Refuses a write that adds `adding` points to a figure now at `current` when the sum would pass the
 * cap. Call it under the member's lock, with `current` read after taking it, so concurrent writes
 * queue and each sees the last one's figure.
 */
export function requireWithinCap(figure: CappedFigure, current: number, adding: number): void {
  const wouldBe = wouldPassCap(current, adding);
  if (wouldBe !== null) throw memberPointsLimitExceeded(figure, wouldBe);
}

/** Runs a rule, turning its PointsCapExceeded into the API's LIMIT_EXCEEDED. */
export function withinCap<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof PointsCapExceeded) throw memberPointsLimitExceeded(error.figure, error.wouldBe);
    throw error;
  }
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
