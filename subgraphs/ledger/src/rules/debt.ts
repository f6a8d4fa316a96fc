/**
 * Debt: what refunds clawed back of points already spent. Points that arrive SPENDABLE (an earn past
 * its return window, a transfer received, a cancelled redemption given back) repay it first and only
 * the rest becomes lots; points still pending repay nothing until they become available.
 */
export interface Repayment {
  /** Points of the arrival that go to the debt. */
  repaid: number;
  /** Points of the arrival left for the member's lots. */
  kept: number;
  /** The debt afterwards. */
  debtLeft: number;
}

export function repayDebt(debt: number, arriving: number, { spendable = true } = {}): Repayment {
  const repaid = spendable ? Math.max(0, Math.min(debt, arriving)) : 0;
  return { repaid, kept: arriving - repaid, debtLeft: debt - repaid };
}

/**
 * repayDebt as SQL, for points arriving at `availableAt` (spendable when it is at or before `now`):
 * what of `points` goes to `debt`. test/ledger-sql.test.ts evaluates it in Postgres against repayDebt.
 */
export const repaidOnArrivalSql = (debt: string, points: string, availableAt: string, now: string) =>
  `CASE WHEN ${availableAt} <= ${now} THEN least(${debt}, ${points}) ELSE 0 END`;

/**
 * The same rule over an arrival made of slices (a transfer or a given-back redemption keeps each
 * slice's expiry): the debt takes from the slices in the order given, each slice keeps the rest.
 */
export function repayDebtFromSlices(debt: number, slices: readonly number[]): { kept: number[]; debtLeft: number } {
  let left = debt;
  const kept = slices.map((points) => {
    const { repaid, debtLeft } = repayDebt(left, points);
    left = debtLeft;
    return points - repaid;
  });
  return { kept, debtLeft: left };
}

/**
 * repayDebtFromSlices as SQL, for one slice: what the debt still takes of it after the slices before
 * it (`slicesBefore`, their sum) took theirs. A debt of 30 over slices 20, 20, 20 takes 20, 10, 0.
 */
export const repaidFromSliceSql = (debt: string, slicesBefore: string, slice: string) => `greatest(0, least(${slice}, ${debt} - ${slicesBefore}))`;
