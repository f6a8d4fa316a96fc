import type { DataSource, EntityManager } from "typeorm";
import type { ClosedReportContent } from "../clearing/clearing.service";
import { lineTotals, liveRecords, matrixCells, requirePeriod } from "../clearing/clearing.totals";
import { chainHash } from "../clearing/hash-chain";
import { GENESIS_HASH, STATEMENT_LINES, type StatementRecord, canonicalJson, reportTotals, statementRecord, statementText } from "../rules";
import { exactValueSql, isPrepaidAtSql, lineSql, pointsSql, takenBackByAdjustmentSql } from "../sql/clearing";
import { type Verdict, printVerdict, runLedgerTool, verdictOf } from "./ledger-database";

interface Mismatch {
  id: string;
  got: string;
  expected: string;
}

const POSTED_PERIOD = `date_trunc('month', coalesce(t.posted_at, t.occurred_at) AT TIME ZONE 'UTC')::date`;
const PARTNER_POSTINGS = `(SELECT a.kind AS account_kind, a.owner_id AS partner_id, t.kind AS tx_kind, t.reversal_reason, t.expired_lot_id, p.amount, t.id AS tx, ${POSTED_PERIOD} AS period
   FROM postings p JOIN accounts a ON a.id = p.account_id JOIN transactions t ON t.id = p.transaction_id WHERE p.member_id IS NULL)`;
const POSTED_AT = (t: string) => `coalesce(${t}.posted_at, ${t}.occurred_at)`;
const linesPricedBy = (...sources: string[]) => `ARRAY[${[...new Set(STATEMENT_LINES.filter((r) => sources.includes(r.price)).map((r) => `'${r.line}'`))].join(", ")}]::text[]`;

/**
 * For each transaction a refund reversed (a purchase's or a bonus's), what its lot and every lot its points
 * moved to (`origin_lot_id`, followed down: returned by a cancelled redemption, received by a transfer)
 * lost to expiry (`lost`: breakage account, points, posting order, recorded price and share), and the
 * first of those expiries in posting order (`first_lost`), for a WITH clause. Recomputed here from the
 * lots and postings, apart from journal/take-back.ts and sql/clearing.ts.
 */
const REFUNDED_CHAIN_EXPIRIES = `RECURSIVE refunded AS (
            SELECT DISTINCT rt.reverses_transaction_id AS tx FROM transactions rt WHERE rt.reversal_reason = 'PURCHASE_REFUND'
          ), descent AS (
            SELECT rf.tx, l.id AS lot_id FROM refunded rf JOIN lots l ON l.transaction_id = rf.tx
            UNION ALL SELECT d.tx, x.id FROM descent d JOIN lots x ON x.origin_lot_id = d.lot_id
          ), lost AS (
            SELECT d.tx, p.account_id, a.owner_id AS partner_id, p.amount, p.seq, mp.price_per_1000 AS price, mp.share_percent AS share
            FROM descent d JOIN transactions e ON e.idempotency_key = 'expiry:lot:' || d.lot_id
            JOIN postings p ON p.transaction_id = e.id AND p.member_id IS NULL JOIN accounts a ON a.id = p.account_id
            LEFT JOIN movement_prices mp ON mp.transaction_id = e.id AND mp.partner_id = a.owner_id
          ), first_lost AS (SELECT DISTINCT ON (tx) * FROM lost ORDER BY tx, seq)`;

/**
 * `npm run clearing:verify`: recomputes the clearing house's running totals from the append-only
 * history (postings, lots, lot_takes and the prices recorded with each movement), checks each recorded
 * price against the partner's terms, and checks every closed statement: still what the totals say,
 * and still hashing to what was stored, in an unbroken chain. Exits non-zero on any mismatch.
 */
const CHECKS: { name: string; sql: string }[] = [
  {
    name: "statement line points that differ from the postings of their period, partner and line",
    sql: `WITH history AS (SELECT m.period, m.partner_id, ${lineSql("m")} AS line, sum(${pointsSql("m")}) AS points FROM ${PARTNER_POSTINGS} m GROUP BY 1, 2, 3)
          SELECT coalesce(h.period, c.period) || '/' || coalesce(h.partner_id, c.partner_id) || '/' || coalesce(h.line, c.line) AS id,
                 coalesce(c.points, 0) AS got, coalesce(h.points, 0) AS expected
          FROM history h FULL JOIN clearing_totals c USING (period, partner_id, line) WHERE coalesce(c.points, 0) <> coalesce(h.points, 0)`,
  },
  {
    // A negative adjustment a partner funds (AdjustmentTakesAtLotPrices1734940000000): the points it took from lots (its
    // lot_takes) at each lot's price, the rest (owed) at its recorded price; one recorded before took no lots: all at that price.
    name: "statement line values that differ from points × the prices recorded with the movements (a take-back's lots at their own)",
    sql: `WITH valued AS (
            SELECT m.period, m.partner_id, ${lineSql("m")} AS line, ${pointsSql("m")} AS points, m.tx_kind, m.tx,
                   m.account_kind = 'PARTNER_ISSUANCE' AND ${takenBackByAdjustmentSql("m.tx_kind", "m.amount")} AS takes_back FROM ${PARTNER_POSTINGS} m
          ), history AS (
            SELECT v.period, v.partner_id, v.line,
                   sum((v.points + coalesce(tk.points, 0))::numeric * coalesce(CASE WHEN v.tx_kind = 'EARN'
                     THEN (SELECT l.issue_price_per_1000 * 100 FROM lots l WHERE l.transaction_id = v.tx ORDER BY l.id LIMIT 1)
                     ELSE (SELECT mp.price_per_1000 * mp.share_percent FROM movement_prices mp WHERE mp.transaction_id = v.tx AND mp.partner_id = v.partner_id AND mp.line = v.line) END, 0)
                       - coalesce(tk.value, 0)) AS value
            FROM valued v
            LEFT JOIN LATERAL (
              SELECT sum(lt.points) AS points, sum(${exactValueSql("lt.points", "coalesce(l.issue_price_per_1000, 0)")}) AS value
              FROM lot_takes lt JOIN lots l ON l.id = lt.lot_id WHERE v.takes_back AND lt.transaction_id = v.tx
            ) tk ON true
            GROUP BY 1, 2, 3)
          SELECT coalesce(h.period, c.period) || '/' || coalesce(h.partner_id, c.partner_id) || '/' || coalesce(h.line, c.line) AS id,
                 coalesce(c.value, 0) AS got, coalesce(h.value, 0) AS expected
          FROM history h FULL JOIN clearing_totals c USING (period, partner_id, line) WHERE coalesce(c.value, 0) <> coalesce(h.value, 0)`,
  },
  {
    name: "lots whose issue price is not their issuer's price when their transaction was posted",
    sql: `SELECT l.id::text AS id, l.issue_price_per_1000 AS got, clearing_issue_price(l.partner_id, coalesce(t.posted_at, t.occurred_at)) AS expected
          FROM lots l JOIN transactions t ON t.id = l.transaction_id
          WHERE l.source IN ('EARN', 'BONUS', 'ADJUSTMENT') AND l.issue_price_per_1000 IS NOT NULL
            AND l.issue_price_per_1000 <> clearing_issue_price(l.partner_id, coalesce(t.posted_at, t.occurred_at))`,
  },
  {
    name: "movement prices that differ from the partner's terms when the movement was posted",
    sql: `SELECT mp.transaction_id || '/' || mp.line AS id, mp.price_per_1000 || '@' || mp.share_percent AS got, coalesce(pt.price, 0) || '@' || coalesce(pt.share, 100) AS expected
          FROM movement_prices mp JOIN transactions t ON t.id = mp.transaction_id
          LEFT JOIN LATERAL (
            SELECT CASE WHEN mp.line = ANY(${linesPricedBy("REDEMPTION_PRICE")}) THEN x.redemption_price_per_1000 ELSE x.issue_price_per_1000 END AS price, 100 AS share
            FROM partner_terms x WHERE x.partner_id = mp.partner_id AND x.effective_from <= coalesce(t.posted_at, t.occurred_at) ORDER BY x.effective_from DESC LIMIT 1
          ) pt ON true
          WHERE mp.line = ANY(${linesPricedBy("ISSUE_PRICE", "REDEMPTION_PRICE")}) AND t.reversal_reason IS NULL
            AND (mp.price_per_1000 <> coalesce(pt.price, 0) OR mp.share_percent <> 100)`,
  },
  {
    // A reversal shares its line with what it reverses (a bonus's reversal is on the bonus line): it is told apart by its reason.
    name: "refund prices that differ from the price the refunded purchase or bonus was charged",
    sql: `SELECT mp.transaction_id || '/' || mp.line AS id, mp.price_per_1000 || '@' || mp.share_percent AS got, coalesce(l.price, 0) || '@100' AS expected
          FROM movement_prices mp JOIN transactions t ON t.id = mp.transaction_id
          LEFT JOIN LATERAL (SELECT x.issue_price_per_1000 AS price FROM lots x WHERE x.transaction_id = t.reverses_transaction_id ORDER BY x.id LIMIT 1) l ON true
          WHERE t.reversal_reason = 'PURCHASE_REFUND' AND mp.line = ANY(${linesPricedBy("REVERSED_PURCHASE_PRICE")})
            AND (mp.price_per_1000 <> coalesce(l.price, 0) OR mp.share_percent <> 100)`,
  },
  {
    // A refund's points that its lot (or a lot its points moved to) had lost to expiry come back off the breakage at what the first
    // of those expiries was credited (RefundsTakeBackBreakage1734890000003, LotOrigins1734930000000).
    name: "refunded breakage prices that differ from the price and share the refunded lot's expiry was credited at",
    sql: `WITH ${REFUNDED_CHAIN_EXPIRIES}
          SELECT mp.transaction_id || '/' || mp.line AS id, mp.price_per_1000 || '@' || mp.share_percent AS got,
                 coalesce(f.price, 0) || '@' || coalesce(f.share, 0) AS expected
          FROM movement_prices mp JOIN transactions t ON t.id = mp.transaction_id
          LEFT JOIN first_lost f ON f.tx = t.reverses_transaction_id AND f.partner_id = mp.partner_id
          WHERE t.reversal_reason = 'PURCHASE_REFUND' AND mp.line = ANY(${linesPricedBy("REFUNDED_BREAKAGE")})
            AND (mp.price_per_1000 <> coalesce(f.price, 0) OR mp.share_percent <> coalesce(f.share, 0))`,
  },
  {
    name: "lots whose refunds took back more from the breakage than the lot lost to expiry",
    sql: `WITH ${REFUNDED_CHAIN_EXPIRIES}, taken AS (
            SELECT rt.reverses_transaction_id AS tx, r.account_id, -sum(r.amount) AS points
            FROM transactions rt JOIN postings r ON r.transaction_id = rt.id JOIN accounts a ON a.id = r.account_id
            WHERE rt.reversal_reason = 'PURCHASE_REFUND' AND a.kind = 'PARTNER_BREAKAGE' GROUP BY 1, 2
          )
          SELECT tk.tx::text AS id, tk.points AS got, coalesce(ex.points, 0) || ' at most' AS expected
          FROM taken tk
          LEFT JOIN LATERAL (
            -- What the lots lost to expiry at the first expiry's price and share: a take-back is valued at that one.
            SELECT sum(x.amount) AS points FROM lost x JOIN first_lost f ON f.tx = x.tx
            WHERE x.tx = tk.tx AND x.account_id = tk.account_id AND (x.price, x.share) IS NOT DISTINCT FROM (f.price, f.share)
          ) ex ON true
          WHERE tk.points > coalesce(ex.points, 0)`,
  },
  {
    // What was paid is what is taken back: the cancelled redemption's own recorded price, whatever the terms say now.
    name: "cancellation prices that differ from what the cancelled redemption was paid",
    sql: `SELECT mp.transaction_id || '/' || mp.line AS id, mp.price_per_1000 || '@' || mp.share_percent AS got, coalesce(r.price, 0) || '@100' AS expected
          FROM movement_prices mp JOIN transactions t ON t.id = mp.transaction_id
          LEFT JOIN LATERAL (SELECT x.price_per_1000 AS price FROM movement_prices x WHERE x.transaction_id = t.reverses_transaction_id AND x.partner_id = mp.partner_id LIMIT 1) r ON true
          WHERE mp.line = ANY(${linesPricedBy("REVERSED_REDEMPTION_PRICE")}) AND (mp.price_per_1000 <> coalesce(r.price, 0) OR mp.share_percent <> 100)`,
  },
  {
    name: "breakage prices that differ from the emptied lot's price and the share in force when the expiry (or forfeit) was posted",
    sql: `SELECT mp.transaction_id || '/' || mp.line AS id, mp.price_per_1000 || '@' || mp.share_percent AS got,
                 coalesce(l.issue_price_per_1000, 0) || '@' || coalesce(pt.share, 0) AS expected
          FROM movement_prices mp JOIN transactions t ON t.id = mp.transaction_id LEFT JOIN lots l ON l.id = t.expired_lot_id
          LEFT JOIN LATERAL (
            SELECT x.breakage_share_percent AS share FROM partner_terms x
            WHERE x.partner_id = mp.partner_id AND x.effective_from <= ${POSTED_AT("t")} ORDER BY x.effective_from DESC LIMIT 1
          ) pt ON true
          WHERE mp.line = ANY(${linesPricedBy("EXPIRED_LOT_SHARE")}) AND t.reversal_reason IS NULL
            AND (mp.price_per_1000 <> coalesce(l.issue_price_per_1000, 0) OR mp.share_percent <> coalesce(pt.share, 0))`,
  },
  {
    name: "issuer × redeemer points that differ from the lots redemptions took (net of cancellations)",
    sql: `WITH history AS (
            SELECT period, issuer_id, redeemer_id, sum(points) AS points FROM (
              SELECT ${POSTED_PERIOD} AS period, l.partner_id AS issuer_id, t.partner_id AS redeemer_id, lt.points
              FROM lot_takes lt JOIN lots l ON l.id = lt.lot_id JOIN transactions t ON t.id = lt.transaction_id WHERE t.kind = 'REDEEM' AND t.partner_id IS NOT NULL
              UNION ALL
              SELECT ${POSTED_PERIOD}, l.partner_id, o.partner_id, -lt.points
              FROM transactions t JOIN transactions o ON o.id = t.reverses_transaction_id JOIN lot_takes lt ON lt.transaction_id = o.id JOIN lots l ON l.id = lt.lot_id
              WHERE t.reversal_reason = 'REDEMPTION_CANCELLED'
            ) x GROUP BY 1, 2, 3)
          SELECT coalesce(h.period, c.period) || '/' || coalesce(h.issuer_id, c.issuer_id) || '>' || coalesce(h.redeemer_id, c.redeemer_id) AS id,
                 coalesce(c.points, 0) AS got, coalesce(h.points, 0) AS expected
          FROM history h FULL JOIN clearing_matrix c USING (period, issuer_id, redeemer_id) WHERE coalesce(c.points, 0) <> coalesce(h.points, 0)`,
  },
  {
    // The valuation trigger's rule (sql/clearing.ts): a PREPAID issuer's allowance is its top-ups plus every posting to its
    // issuance account made while it was PREPAID (issuing: negative), a reversal only when what it reverses drew on it too,
    // a negative adjustment never. Before ReversalsAsCharged1734330000000 a reversal posted while PREPAID gave back whatever
    // it reversed, and before PrepaidAdjustmentsTakeNothingBack1734890000000 a negative adjustment every point it took; which
    // were posted before them is not recorded, so an allowance may lie anywhere between the rules' figures (equal without such movements).
    name: "prepaid allowances outside their top-ups less what was issued from them (net of refunds)",
    sql: `WITH issuance AS (
            SELECT a.owner_id AS partner_id, p.amount,
                   (t.reverses_transaction_id IS NOT NULL
                    AND NOT ${isPrepaidAtSql("a.owner_id", `(SELECT ${POSTED_AT("o")} FROM transactions o WHERE o.id = t.reverses_transaction_id)`)})
                   OR ${takenBackByAdjustmentSql("t.kind", "p.amount")} AS given_back_by_the_old_rule_only
            FROM postings p JOIN accounts a ON a.id = p.account_id JOIN transactions t ON t.id = p.transaction_id
            WHERE a.kind = 'PARTNER_ISSUANCE' AND a.owner_id IN (SELECT pt.partner_id FROM partner_terms pt WHERE pt.billing = 'PREPAID') -- the rest never were
              AND ${isPrepaidAtSql("a.owner_id", POSTED_AT("t"))}
          ), drawn AS (
            SELECT partner_id, sum(amount) FILTER (WHERE NOT given_back_by_the_old_rule_only) AS points,
                   coalesce(sum(amount) FILTER (WHERE given_back_by_the_old_rule_only), 0) AS legacy
            FROM issuance GROUP BY 1
          ), bought AS (
            SELECT partner_id, sum(points) AS points FROM prepaid_top_ups GROUP BY 1
          ), expected AS (
            SELECT coalesce(pa.partner_id, b.partner_id, d.partner_id) AS partner_id, coalesce(pa.remaining, 0) AS got,
                   coalesce(b.points, 0) + coalesce(d.points, 0) AS now_rule, coalesce(d.legacy, 0) AS legacy
            FROM prepaid_allowances pa FULL JOIN bought b ON b.partner_id = pa.partner_id
            FULL JOIN drawn d ON d.partner_id = coalesce(pa.partner_id, b.partner_id)
          )
          SELECT partner_id::text AS id, got,
                 CASE WHEN legacy = 0 THEN now_rule::text ELSE least(now_rule, now_rule + legacy) || ' to ' || greatest(now_rule, now_rule + legacy) END AS expected
          FROM expected WHERE got NOT BETWEEN least(now_rule, now_rule + legacy) AND greatest(now_rule, now_rule + legacy)`,
  },
];

/**
 * Closed statements and reports: what the totals say now, and an unbroken hash chain. All read in one
 * snapshot: closing a month writes its statements and its report in one transaction, and a close
 * between two reads made a report look short of its statements (a false FAIL, exit 1).
 */
async function closedStatementMismatches(dataSource: DataSource): Promise<Mismatch[]> {
  return dataSource.transaction("REPEATABLE READ", async (manager) => {
    await manager.query(`SET TRANSACTION READ ONLY`);
    return closedStatementMismatchesIn(manager);
  });
}

async function closedStatementMismatchesIn(manager: EntityManager): Promise<Mismatch[]> {
  const problems: Mismatch[] = [];
  const rows: { period: string; partner_id: string; content: string; previous_hash: string; hash: string }[] = await manager.query(
    `SELECT to_char(period, 'YYYY-MM') AS period, partner_id, content, previous_hash, hash FROM settlement_statements ORDER BY partner_id, period`,
  );
  const lastHash = new Map<string, string>();
  for (const row of rows) {
    const id = `statement ${row.period}/${row.partner_id}`;
    const expectedPrevious = lastHash.get(row.partner_id) ?? GENESIS_HASH;
    if (row.previous_hash !== expectedPrevious) problems.push({ id: `${id} chain`, got: row.previous_hash, expected: expectedPrevious });
    const rehashed = chainHash(row.previous_hash, row.content);
    if (rehashed !== row.hash) problems.push({ id: `${id} hash`, got: row.hash, expected: rehashed });
    lastHash.set(row.partner_id, row.hash);
    const stored = JSON.parse(row.content) as StatementRecord;
    const start = requirePeriod(row.period);
    const totals = await lineTotals(manager, start, [row.partner_id]);
    const recomputed = statementText(statementRecord(row.period, row.partner_id, stored.currency, totals.get(row.partner_id) ?? [], await matrixCells(manager, start, row.partner_id)));
    if (recomputed !== row.content) problems.push({ id: `${id} content`, got: row.content, expected: recomputed });
  }
  const periods: { period: string; content: string; previous_hash: string; hash: string }[] = await manager.query(
    `SELECT to_char(period, 'YYYY-MM') AS period, content, previous_hash, hash FROM settlement_periods ORDER BY period`,
  );
  let previous = GENESIS_HASH;
  for (const p of periods) {
    if (p.previous_hash !== previous) problems.push({ id: `report ${p.period} chain`, got: p.previous_hash, expected: previous });
    const rehashed = chainHash(p.previous_hash, p.content);
    if (rehashed !== p.hash) problems.push({ id: `report ${p.period} hash`, got: p.hash, expected: rehashed });
    const listed = (JSON.parse(p.content).statements as { partnerId: string; hash: string }[]).map((s) => `${s.partnerId}:${s.hash}`).join(",");
    const stored = rows.filter((r) => r.period === p.period).map((r) => `${r.partner_id}:${r.hash}`).join(",");
    if (listed !== stored) problems.push({ id: `report ${p.period} statements`, got: stored, expected: listed });
    // A report whose text and hash were rewritten together still chains (when it is the last one): its money is
    // recomputed from the running totals of its period, which no movement changes once it is closed. Not its
    // float, which sums the months before the first close too (they stay open), nor its coalition points (a
    // report closed before the coalition's BREAKAGE line was left out of them counted it): the hash chain only.
    const content = JSON.parse(p.content) as ClosedReportContent;
    const { records, coalitionPoints } = await liveRecords(manager, requirePeriod(p.period), content.currency);
    const { moneyIn, moneyOut, margin } = reportTotals(records, coalitionPoints);
    const totals = { period: p.period, moneyIn, moneyOut, margin };
    const recorded = { period: content.period, moneyIn: content.moneyIn, moneyOut: content.moneyOut, margin: content.margin };
    if (canonicalJson(recorded) !== canonicalJson(totals)) problems.push({ id: `report ${p.period} totals`, got: canonicalJson(recorded), expected: canonicalJson(totals) });
    previous = p.hash;
  }
  // The chain proves nothing of its end: the latest report deleted with its statements (their foreign key
  // allows no less) leaves a chain that holds, and reopens a month whose money was settled. Every close
  // leaves a line in the append-only audit trail, in the close's own transaction.
  const missing: { period: string }[] = await manager.query(
    `SELECT DISTINCT target_id AS period FROM audit_events
     WHERE action = 'CLOSE_SETTLEMENT_PERIOD' AND outcome = 'SUCCEEDED' AND target_id NOT IN (SELECT to_char(period, 'YYYY-MM') FROM settlement_periods)
     ORDER BY 1`,
  );
  for (const m of missing) problems.push({ id: `report ${m.period} missing`, got: "no report", expected: "the report its audit line says was closed" });
  return problems;
}

export async function verifyClearing(dataSource: DataSource): Promise<{ problems: number; report: string[] }> {
  const report: string[] = [];
  let problems = 0;
  const checks = [
    ...CHECKS.map((check) => ({ name: check.name, run: (d: DataSource): Promise<Mismatch[]> => d.query(check.sql) })),
    { name: "closed statements and reports that changed or went missing since they were closed (content, hash, chain)", run: closedStatementMismatches },
  ];
  for (const check of checks) {
    const rows = await check.run(dataSource);
    problems += rows.length;
    report.push(`${rows.length ? "FAIL" : "ok  "} ${check.name}: ${rows.length}`);
    for (const row of rows.slice(0, 10)) report.push(`       ${row.id}: recorded ${row.got}, recomputed ${row.expected}`);
  }
  return { problems, report };
}

/** `npm run clearing:verify`'s output and exit code. */
export async function clearingVerdict(dataSource: DataSource): Promise<Verdict> {
  return verdictOf(await verifyClearing(dataSource), "Every statement matches the ledger.");
}

runLedgerTool(module, async (dataSource) => printVerdict(await clearingVerdict(dataSource)));
