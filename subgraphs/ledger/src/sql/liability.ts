import { exactValueSql } from "./clearing";

/**
 * The liability's SQL, generated from the rules (rules/clearing-statement.ts `outstandingPoints`,
 * rules/clearing.ts `exactValue`), in one place: `Partner.liability` and `coalitionLiability`
 * (clearing/terms.service.ts) and `Partner.settlement.outstandingLiability` (settlement/settlement.loader.ts)
 * read it, so they count the same lots. test/ledger-sql.test.ts checks each fragment against
 * its rule on hand-picked values.
 */

/** Whether lot `l` holds outstanding points at `now` (rules `outstandingPoints`): some left, and not past its expiry. */
export const outstandingLotSql = (l: string, now: string) => `(${l}.remaining > 0 AND ${l}.expires_at > ${now})`;

/**
 * `points` (outstanding) and `charged` (their exact value at each lot's own issue price, 0 for a lot
 * older than the clearing house) of the lots `l` that `where` selects, at `now`: one row. `remaining > 0`
 * in it lets the partial indexes on open lots (lots_partner_idx) serve it.
 */
export const outstandingSql = (where: string, now: string) =>
  `SELECT coalesce(sum(l.remaining), 0) AS points, coalesce(sum(${exactValueSql("l.remaining", "coalesce(l.issue_price_per_1000, 0)")}), 0) AS charged
   FROM lots l WHERE ${where} AND ${outstandingLotSql("l", now)}`;
