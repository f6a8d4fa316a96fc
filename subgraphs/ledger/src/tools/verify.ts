import type { DataSource } from "typeorm";
import { TIER_MULTIPLIER_PERCENT, TIER_THRESHOLDS, clawbackFor, pointsAtTier, pointsAtTierSql, tierFor, tierPercentSql } from "../rules";
import { EARN_MONTHS_OF_PURCHASES } from "../sql/earn-months";
import { CAMPAIGN_CHECKS } from "../campaign/campaign-checks";
import { fromBreakageSql } from "../journal/take-back";
import { type Verdict, printVerdict, runLedgerTool, verdictOf } from "./ledger-database";

interface Mismatch {
  id: string;
  got: string;
  expected: string;
}

/**
 * `npm run ledger:verify`: recomputes the running state from the append-only history and reports every
 * difference. Exits non-zero on any mismatch.
 */
/** Checks that recompute a rule in TypeScript, from ../rules, over what the database holds. */
const RULE_CHECKS: { name: string; run(dataSource: DataSource): Promise<Mismatch[]> }[] = [
  {
    // The tier its points were priced at: from the qualifying points record_purchases read then (TierAtPurchase1734950000001),
    // with the same SQL (rules/tiers.ts tierPercentSql, pointsAtTierSql; test/ledger-sql.test.ts holds them to tierFor, pointsAtTier).
    name: "purchases whose points are not their base points at the member's tier when they were made (rules/tiers.ts)",
    run: async (dataSource) => {
      const rows: { id: string; points: string; qualifying: string; expected: string }[] = await dataSource.query(
        `SELECT x.* FROM (
           SELECT pu.transaction_id AS id, pu.points, pu.tier_qualifying_points AS qualifying,
                  ${pointsAtTierSql("pu.base_points", tierPercentSql("pu.tier_qualifying_points", "($1::bigint[])", "($2::int[])"))} AS expected
           FROM purchases pu WHERE pu.tier_qualifying_points IS NOT NULL) x
         WHERE x.points <> x.expected`,
        [TIER_THRESHOLDS.map((t) => t.threshold), TIER_THRESHOLDS.map((t) => TIER_MULTIPLIER_PERCENT[t.tier])],
      );
      return rows.map((row) => ({ id: row.id, got: String(row.points), expected: `${row.expected} (${tierFor(Number(row.qualifying))}, ${row.qualifying} qualifying points then)` }));
    },
  },
  {
    // Purchases written before TierAtPurchase1734950000001 record no tier, and the history cannot say it
    // (refunds and late purchases since change the qualifying sums of that time): their points are checked against every tier.
    // Distinct (base, points) pairs only: a few thousand, however many purchases.
    name: "purchases with no tier recorded whose points are not their base points at any tier (rules/tiers.ts)",
    run: async (dataSource) => {
      const pairs: { base_points: number; points: number }[] = await dataSource.query(`SELECT DISTINCT base_points, points FROM purchases WHERE tier_qualifying_points IS NULL`);
      return pairs
        .filter((pair) => !TIER_THRESHOLDS.some((t) => pointsAtTier(pair.base_points, t.tier) === pair.points))
        .map((pair) => ({
          id: `base ${pair.base_points}`,
          got: String(pair.points),
          expected: TIER_THRESHOLDS.map((t) => pointsAtTier(pair.base_points, t.tier)).join(" or "),
        }));
    },
  },
  {
    name: "refunded purchases whose clawed-back points differ from their cumulative share (rules/refunds.ts)",
    run: async (dataSource) => {
      const rows: Record<string, string | number>[] = await dataSource.query(
        `SELECT transaction_id, amount_minor, refunded_minor, points, base_points, reversed_points, reversed_base_points FROM purchases WHERE refunded_minor > 0`,
      );
      return rows.flatMap((row) => {
        const share = clawbackFor(
          { amountMinor: Number(row.amount_minor), refundedMinor: 0, points: Number(row.points), basePoints: Number(row.base_points), reversedPoints: 0, reversedBasePoints: 0 },
          Number(row.refunded_minor),
        );
        const got = `${row.reversed_points}/${row.reversed_base_points}`;
        const expected = share.ok ? `${share.points}/${share.basePoints}` : "refunded more than the amount";
        return got === expected ? [] : [{ id: String(row.transaction_id), got, expected }];
      });
    },
  },
];

const CHECKS: { name: string; sql: string }[] = [
  {
    name: "transactions whose postings do not sum to zero",
    sql: `SELECT transaction_id AS id, sum(amount) AS got, 0 AS expected FROM postings GROUP BY transaction_id HAVING sum(amount) <> 0`,
  },
  {
    name: "transactions without postings",
    sql: `SELECT t.id, 0 AS got, 2 AS expected FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.transaction_id = t.id)`,
  },
  {
    name: "account balances that differ from the sum of their postings",
    sql: `SELECT a.id, a.balance AS got, coalesce(sum(p.amount), 0) AS expected
          FROM accounts a LEFT JOIN postings p ON p.account_id = a.id
          GROUP BY a.id HAVING a.balance <> coalesce(sum(p.amount), 0)`,
  },
  {
    name: "member balances that differ from their lots less their debt",
    sql: `SELECT a.owner_id AS id, a.balance AS got, coalesce(l.remaining, 0) - a.debt AS expected
          FROM accounts a LEFT JOIN (SELECT member_id, sum(remaining) AS remaining FROM lots GROUP BY member_id) l ON l.member_id = a.owner_id
          WHERE a.kind = 'MEMBER' AND a.balance <> coalesce(l.remaining, 0) - a.debt`,
  },
  {
    // A refund takes back from the member and, for points its purchase's lot lost to expiry, from the breakage (journal/take-back.ts).
    name: "per-partner earned totals that differ from EARN entries and purchase refunds",
    sql: `WITH history AS (
            SELECT coalesce(p.member_id, m.member_id) AS member_id, t.partner_id, sum(p.amount) AS earned
            FROM postings p JOIN transactions t ON t.id = p.transaction_id
            LEFT JOIN postings m ON m.transaction_id = t.id AND m.member_id IS NOT NULL AND p.member_id IS NULL
            WHERE p.entry_kind = 'EARN'
               OR (t.kind = 'REVERSAL' AND t.reversal_reason = 'PURCHASE_REFUND' AND (p.entry_kind = 'REVERSAL' OR ${fromBreakageSql("p")}))
            GROUP BY 1, 2)
          SELECT coalesce(h.member_id, m.member_id) || '/' || coalesce(h.partner_id, m.partner_id) AS id, coalesce(m.earned, 0) AS got, coalesce(h.earned, 0) AS expected
          FROM history h FULL JOIN member_partner_points m USING (member_id, partner_id)
          WHERE coalesce(m.earned, 0) <> coalesce(h.earned, 0)`,
  },
  {
    name: "per-partner redeemed totals that differ from REDEEM entries and cancellations",
    sql: `WITH history AS (
            SELECT p.member_id, t.partner_id, -sum(p.amount) AS redeemed FROM postings p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.entry_kind = 'REDEEM' OR (p.entry_kind = 'REVERSAL' AND t.reversal_reason = 'REDEMPTION_CANCELLED') GROUP BY 1, 2)
          SELECT coalesce(h.member_id, m.member_id) || '/' || coalesce(h.partner_id, m.partner_id) AS id, coalesce(m.redeemed, 0) AS got, coalesce(h.redeemed, 0) AS expected
          FROM history h FULL JOIN member_partner_points m USING (member_id, partner_id)
          WHERE coalesce(m.redeemed, 0) <> coalesce(h.redeemed, 0)`,
  },
  {
    name: "qualifying buckets that differ from the base points of purchases",
    sql: `WITH history AS (
            SELECT member_id, (earned_at AT TIME ZONE 'UTC')::date AS day, sum(base_points - reversed_base_points) AS points FROM purchases GROUP BY 1, 2)
          SELECT coalesce(h.member_id, q.member_id) || '/' || coalesce(h.day, q.day) AS id, coalesce(q.points, 0) AS got, coalesce(h.points, 0) AS expected
          FROM history h FULL JOIN qualifying_points q USING (member_id, day)
          WHERE coalesce(q.points, 0) <> coalesce(h.points, 0)`,
  },
  {
    name: "insight months (member_earn_months) that differ from the months purchases were recorded in",
    sql: `WITH history AS (${EARN_MONTHS_OF_PURCHASES})
          SELECT coalesce(h.member_id, e.member_id) || '/' || coalesce(h.partner_id, e.partner_id) || '/' || coalesce(h.month, e.month) AS id,
                 (e.month IS NOT NULL)::int AS got, (h.month IS NOT NULL)::int AS expected
          FROM history h FULL JOIN member_earn_months e USING (month, member_id, partner_id)
          WHERE h.month IS NULL OR e.month IS NULL`,
  },
  {
    // Only days after today: readers ask for no other (past days are dropped by the expiry sweep).
    name: "pending days that differ from the lots and purchases that become spendable on them",
    sql: `WITH lot_days AS (
            SELECT member_id, (available_at AT TIME ZONE 'UTC')::date AS day, sum(remaining) AS points FROM lots
            WHERE available_at >= ((now() AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC' GROUP BY 1, 2
          ), purchase_days AS (
            SELECT member_id, (available_at AT TIME ZONE 'UTC')::date AS day, sum(base_points - reversed_base_points) AS points FROM purchases
            WHERE available_at >= ((now() AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC' GROUP BY 1, 2
          ), recorded AS (
            SELECT * FROM pending_days WHERE day > (now() AT TIME ZONE 'UTC')::date
          )
          SELECT coalesce(r.member_id, l.member_id, p.member_id) || '/' || coalesce(r.day, l.day, p.day) AS id,
                 coalesce(r.lot_points, 0) || '/' || coalesce(r.base_points, 0) AS got,
                 coalesce(l.points, 0) || '/' || coalesce(p.points, 0) AS expected
          FROM recorded r
          FULL JOIN lot_days l ON l.member_id = r.member_id AND l.day = r.day
          FULL JOIN purchase_days p ON p.member_id = coalesce(r.member_id, l.member_id) AND p.day = coalesce(r.day, l.day)
          WHERE coalesce(r.lot_points, 0) <> coalesce(l.points, 0) OR coalesce(r.base_points, 0) <> coalesce(p.points, 0)`,
  },
  {
    // The purchases sub-ledger is what refunds (points), tiers and the qualifying window (earned_at) read: it must agree with the postings.
    name: "purchases whose points, member, partner or time differ from their EARN transaction and its member posting",
    sql: `SELECT pu.transaction_id AS id,
                 pu.points || ' to ' || pu.member_id || ' from ' || pu.partner_id || ' at ' || pu.earned_at AS got,
                 coalesce(po.amount::text, 'no posting') || ' to ' || coalesce(po.member_id::text, '-') || ' from ' || coalesce(t.partner_id::text, '-')
                   || ' at ' || t.occurred_at || CASE WHEN t.kind <> 'EARN' THEN ' (a ' || t.kind || ')' ELSE '' END AS expected
          FROM purchases pu JOIN transactions t ON t.id = pu.transaction_id
          LEFT JOIN postings po ON po.transaction_id = pu.transaction_id AND po.member_id IS NOT NULL AND po.entry_kind = 'EARN'
          WHERE t.kind <> 'EARN' OR po.amount IS DISTINCT FROM pu.points OR po.member_id IS DISTINCT FROM pu.member_id
             OR t.partner_id IS DISTINCT FROM pu.partner_id OR t.occurred_at IS DISTINCT FROM pu.earned_at`,
  },
  {
    // A purchase's points are its EARN lots' (one, as record_purchases writes it; a test's fixture splits one into many).
    name: "purchases with points whose EARN lots are missing, do not sum to them, or differ from them (member, partner, earned, spendable from)",
    sql: `SELECT pu.transaction_id AS id,
                 coalesce(sum(l.points)::text, 'no lot')
                   || CASE WHEN bool_or(l.member_id <> pu.member_id OR l.partner_id <> pu.partner_id OR l.earned_at <> pu.earned_at OR l.available_at <> pu.available_at)
                           THEN ' (a lot of another member, partner or time)' ELSE '' END AS got,
                 pu.points || ' to ' || pu.member_id || ' from ' || pu.partner_id || ' at ' || pu.earned_at || ' spendable ' || pu.available_at AS expected
          FROM purchases pu LEFT JOIN lots l ON l.transaction_id = pu.transaction_id AND l.source = 'EARN'
          WHERE pu.points > 0
          GROUP BY pu.transaction_id, pu.points, pu.member_id, pu.partner_id, pu.earned_at, pu.available_at
          HAVING coalesce(sum(l.points), 0) <> pu.points
              OR coalesce(bool_or(l.member_id <> pu.member_id OR l.partner_id <> pu.partner_id OR l.earned_at <> pu.earned_at OR l.available_at <> pu.available_at), false)`,
  },
  {
    name: "purchases whose reversed points differ from their REVERSAL entries and what they took back from the breakage",
    sql: `SELECT pu.transaction_id AS id, pu.reversed_points AS got, coalesce(-sum(p.amount), 0) AS expected
          FROM purchases pu
          LEFT JOIN transactions r ON r.reverses_transaction_id = pu.transaction_id AND r.reversal_reason = 'PURCHASE_REFUND'
          LEFT JOIN postings p ON p.transaction_id = r.id AND (p.member_id IS NOT NULL OR ${fromBreakageSql("p")})
          GROUP BY pu.transaction_id HAVING pu.reversed_points <> coalesce(-sum(p.amount), 0)`,
  },
  {
    // A lot's origin (LotOrigins1734930000000), which refunds follow to take back expired points from the breakage (journal/take-back.ts):
    // the lot a cancelled redemption took the points from (its lot_takes), or the sender's lot of a transfer; same issuer, expiry and price.
    name: "lots whose origin is not the lot their points came from (a cancelled redemption's take, a transfer's sender's lot)",
    sql: `SELECT l.id::text AS id, l.origin_lot_id::text AS got, 'a lot of the ' || lower(l.source) || '''s own' AS expected
          FROM lots l JOIN lots o ON o.id = l.origin_lot_id JOIN transactions t ON t.id = l.transaction_id
          -- The expiry is the origin's as read by the service (to the millisecond: a JavaScript Date).
          WHERE (o.partner_id = l.partner_id AND abs(extract(epoch FROM o.expires_at - l.expires_at)) < 0.001
                 AND coalesce(o.issue_price_per_1000, 0) = coalesce(l.issue_price_per_1000, 0)
                 AND CASE l.source
                   WHEN 'RETURN' THEN t.reversal_reason = 'REDEMPTION_CANCELLED' AND EXISTS (
                     SELECT FROM lot_takes lt WHERE lt.transaction_id = t.reverses_transaction_id AND lt.lot_id = o.id AND lt.points = l.points)
                   WHEN 'TRANSFER' THEN t.kind = 'TRANSFER' AND EXISTS (
                     SELECT FROM postings s WHERE s.transaction_id = t.id AND s.member_id = o.member_id AND s.entry_kind = 'TRANSFER_OUT')
                   ELSE false END) IS NOT TRUE`,
  },
  {
    name: "reversals whose reversed transaction is not of the kind their reason says (EARN for a refund, REDEEM for a cancellation)",
    sql: `SELECT r.id, coalesce(o.kind, 'none') AS got, CASE r.reversal_reason WHEN 'PURCHASE_REFUND' THEN 'EARN' ELSE 'REDEEM' END AS expected
          FROM transactions r LEFT JOIN transactions o ON o.id = r.reverses_transaction_id
          WHERE r.kind = 'REVERSAL' AND o.kind IS DISTINCT FROM CASE r.reversal_reason WHEN 'PURCHASE_REFUND' THEN 'EARN' ELSE 'REDEEM' END`,
  },
  {
    name: "captured holds without exactly one REDEEM transaction",
    sql: `SELECT h.redemption_id AS id, count(t.id) AS got, 1 AS expected FROM holds h
          LEFT JOIN transactions t ON t.kind = 'REDEEM' AND t.idempotency_key = 'redemption:' || h.redemption_id
          WHERE h.status = 'CAPTURED' GROUP BY h.redemption_id HAVING count(t.id) <> 1`,
  },
  {
    name: "points in the whole ledger that do not sum to zero",
    sql: `SELECT 'all accounts' AS id, sum(balance) AS got, 0 AS expected FROM accounts HAVING sum(balance) <> 0`,
  },
  // Campaigns (campaign/campaign-checks.ts).
  ...CAMPAIGN_CHECKS,
];

export async function verifyLedger(dataSource: DataSource): Promise<{ problems: number; report: string[] }> {
  const report: string[] = [];
  let problems = 0;
  const checks = [...CHECKS.map((check) => ({ name: check.name, run: (d: DataSource): Promise<Mismatch[]> => d.query(check.sql) })), ...RULE_CHECKS];
  for (const check of checks) {
    const rows = await check.run(dataSource);
    problems += rows.length;
    report.push(`${rows.length ? "FAIL" : "ok  "} ${check.name}: ${rows.length}`);
    for (const row of rows.slice(0, 10)) report.push(`       ${row.id}: recorded ${row.got}, recomputed ${row.expected}`);
  }
  const [totals] = await dataSource.query(
    `SELECT (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM postings) AS postings,
            (SELECT count(*) FROM accounts WHERE kind = 'MEMBER') AS members, (SELECT coalesce(sum(balance), 0) FROM accounts WHERE kind = 'MEMBER') AS member_points`,
  );
  report.unshift(`Ledger: ${totals.transactions} transactions, ${totals.postings} postings, ${totals.members} member accounts holding ${totals.member_points} points.`);
  return { problems, report };
}

/** `npm run ledger:verify`'s output and exit code. */
export async function ledgerVerdict(dataSource: DataSource): Promise<Verdict> {
  return verdictOf(await verifyLedger(dataSource), "Every balance matches its history.");
}

runLedgerTool(module, async (dataSource) => printVerdict(await ledgerVerdict(dataSource)));
