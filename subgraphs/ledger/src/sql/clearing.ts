import { STATEMENT_LINES, type StatementLineRule } from "../rules/clearing";
import type { FunctionDefinition } from "./function-definition";

/**
 * The clearing house's database functions, generated from rules/clearing.ts (STATEMENT_LINES): the
 * one place movements are valued. Installed by the ClearingHouse migration; test/ledger-sql.test.ts
 * fails while the database's functions differ from these texts.
 *
 * - `clearing_value_postings` (AFTER INSERT ON postings, once per statement, over its transition
 *   table): every writer that inserts postings (postTransaction, record_purchases, anyone's new
 *   writer) gets its movements valued without calling anything: each posting to a partner's (or the
 *   coalition's) account becomes points and an exact value in the running totals of its period,
 *   partner and line (`clearing_totals`), the price it was valued at is kept (`movement_prices`, for
 *   every movement but purchases, whose price is on their lot), and a PREPAID issuer's allowance is
 *   drawn down (a movement past it fails the whole statement: SQLSTATE CLPRE).
 * - `clearing_match_lot_takes` (AFTER INSERT ON lot_takes): which issuer's lots paid for each
 *   redemption, per period (`clearing_matrix`); a cancellation takes it back in the postings trigger.
 * - `clearing_price_lot` (BEFORE INSERT ON lots, only for rows inserted WITHOUT a price, so never on
 *   the purchase path, which passes it): the issuer's issue price in force when the lot's transaction
 *   was posted.
 * - `clearing_period`: the period a movement belongs to (the month of its posting time, UTC). The
 *   triggers call it under a shared advisory lock that closing a period takes exclusively, so a close
 *   waits for every writer in flight; a movement for a period closed meanwhile fails with 55P03
 *   (retryable: written again, it is posted at a later time, in the open period).
 */

/**
 * The exact value of `points` at `pricePer1000`, `percent` of it (100 = the whole price), in 1/100,000
 * minor units (rules `exactValue`): a product, unparenthesised (it binds as one term), so the valuation
 * trigger's text, generated from it, is what every earlier migration installed. Every SQL that values
 * points reads it: the valuation and matching triggers, the liability (sql/liability.ts), a campaign's
 * cost, clearing:verify's take-backs; test/ledger-sql.test.ts checks it against `exactValue` at the edges.
 */
export const exactValueSql = (points: string, pricePer1000: string, percent = "100") => `${points}::numeric * ${pricePer1000} * ${percent}`;

/** The advisory lock writers of running totals share and closing a period takes alone ("CLEARING" in ASCII, shortened). */
export const CLEARING_LOCK_KEY = 67_766_965;

/** A movement's posting time: when the ledger wrote it (its clock), or for older rows when it occurred. */
const postedAtOf = (t: string) => `coalesce(${t}.posted_at, ${t}.occurred_at)`;
const POSTED_AT = postedAtOf("t");

const termsAt = (column: string, partner: string, at: string) =>
  `(SELECT pt.${column} FROM partner_terms pt WHERE pt.partner_id = ${partner} AND pt.effective_from <= ${at} ORDER BY pt.effective_from DESC LIMIT 1)`;

/** Whether `partner` issues from a prepaid allowance at `at` (its terms in force then say `PREPAID`). */
export const isPrepaidAtSql = (partner: string, at: string) => `${termsAt("billing", partner, at)} = 'PREPAID'`;

/**
 * Whether a posting to a partner's issuance account is points a negative adjustment took back (`kind`
 * the transaction's kind, `amount` the posting's). They give a PREPAID funder's allowance nothing back:
 * they come from the member's lots nearest expiry, whoever issued them, so they are no evidence that
 * points the funder bought came back (PrepaidAdjustmentsTakeNothingBack1734890000000).
 */
export const takenBackByAdjustmentSql = (kind: string, amount: string) => `(${kind} = 'ADJUSTMENT' AND ${amount} > 0)`;

/**
 * The issue price per 1,000 points `partner` is charged for points issued at `at` (its terms in force
 * then; 0 without terms), as an expression. Writers that price many lots in one statement use it in
 * place (record_purchases, the campaign awards): a call of the SQL function below is planned anew on
 * every call (a sub-select keeps Postgres from inlining it), 15 a group with the bench's campaigns.
 */
export const issuePriceAtSql = (partner: string, at: string) => `coalesce(${termsAt("issue_price_per_1000", partner, at)}, 0)::bigint`;

export const CLEARING_ISSUE_PRICE: FunctionDefinition = {
  name: "clearing_issue_price",
  arguments: "p_partner uuid, p_at timestamp with time zone",
  returns: "bigint",
  language: "sql",
  body: `
  SELECT ${issuePriceAtSql("p_partner", "p_at")}
`,
};

export const CLEARING_PERIOD: FunctionDefinition = {
  name: "clearing_period",
  arguments: "p_posted_at timestamp with time zone",
  returns: "date",
  language: "plpgsql",
  body: `
DECLARE
  v_period date := date_trunc('month', p_posted_at AT TIME ZONE 'UTC')::date;
BEGIN
  IF EXISTS (SELECT FROM settlement_periods WHERE period = v_period) THEN
    -- Closed while this movement was being written: retryable, so the caller writes it again in the open period.
    RAISE EXCEPTION 'settlement period % is closed', to_char(v_period, 'YYYY-MM') USING ERRCODE = '55P03';
  END IF;
  RETURN v_period;
END `,
};

const quote = (text: string | null) => (text === null ? "NULL" : `'${text}'`);
const matches = (r: StatementLineRule, m: string) =>
  `${m}.account_kind = ${quote(r.accountKind)} AND ${m}.tx_kind = ${quote(r.transactionKind)} AND ${m}.reversal_reason IS NOT DISTINCT FROM ${quote(r.reversalReason)}${
    r.emptiesOneLot ? ` AND ${m}.expired_lot_id IS NOT NULL` : ""}${r.takesBack ? ` AND ${m}.amount > 0` : ""}`;
const caseOf = (value: (r: StatementLineRule) => string, otherwise: string, m = "m", lines: readonly StatementLineRule[] = STATEMENT_LINES) =>
  `CASE ${lines.map((r) => `WHEN ${matches(r, m)} THEN ${value(r)}`).join("\n              ")}\n              ELSE ${otherwise} END`;

/** A posting's line and points, over columns `account_kind`, `tx_kind`, `reversal_reason`, `expired_lot_id`, `amount` of `m` (clearing:verify recomputes with them). */
export const lineSql = (m: string) => caseOf((r) => quote(r.line), "'OTHER'", m);
export const pointsSql = (m: string) => `${m}.amount * ${caseOf((r) => String(r.pointsSign), "1", m)}`;

/**
 * The recorded price of the expiry of the reversed transaction's lot (the expiry's key names its lot:
 * journal/expire-lots.ts), its `column` (price_per_1000 or share_percent), over `c` as in PRICE.
 */
export const expiryOfReversedLotSql = (column: string, reverses: string, partner: string) =>
  `(SELECT mp.${column} FROM lots l JOIN transactions e ON e.idempotency_key = 'expiry:lot:' || l.id
     JOIN movement_prices mp ON mp.transaction_id = e.id AND mp.partner_id = ${partner}
     WHERE l.transaction_id = ${reverses} ORDER BY l.id LIMIT 1)`;

/**
 * The recorded price (`column`, as above) of the first expiry (in posting order) of the reversed
 * transaction's lot or of any lot whose origins lead to it (a cancelled redemption's returned lot, a
 * transfer's received lot: `origin_lot_id`, LotOrigins1734930000000): what a refund's take-back from
 * the breakage is valued at. A refund takes back only points whose expiry was credited at that price
 * and share (journal/take-back.ts), so one price values it exactly. For a lot with no descendants it is
 * `expiryOfReversedLotSql`.
 */
export const firstExpiryOfReversedChainSql = (column: string, reverses: string, partner: string) =>
  `(WITH RECURSIVE chain AS (
       SELECT l.id FROM lots l WHERE l.transaction_id = ${reverses}
       UNION ALL SELECT d.id FROM lots d JOIN chain o ON d.origin_lot_id = o.id)
     SELECT mp.${column} FROM chain JOIN transactions e ON e.idempotency_key = 'expiry:lot:' || chain.id
       JOIN postings p ON p.transaction_id = e.id AND p.member_id IS NULL
       LEFT JOIN movement_prices mp ON mp.transaction_id = e.id AND mp.partner_id = ${partner}
     ORDER BY p.seq LIMIT 1)`;

/** How a REFUNDED_BREAKAGE take-back is priced: not at all (before it existed), by the own lot's expiry, or by its lot's chain's first. */
type RefundedBreakage = false | "OWN_LOT" | "LOT_ORIGINS";
const refundedBreakageSql = (how: RefundedBreakage, column: string) =>
  (how === "OWN_LOT" ? expiryOfReversedLotSql : firstExpiryOfReversedChainSql)(column, "c.reverses_transaction_id", "c.partner_id");

/**
 * The price of a line's movement, per 1,000 points, and the percent of it that counts (generated per PriceSource).
 * TAKEN_LOTS_PRICE's is the price of what no lot paid for (owed); its lots' prices come in `taken` (below).
 */
const price = (refundedBreakage: RefundedBreakage, adjustmentTakes: boolean) => `CASE c.price_source
        WHEN 'ISSUE_PRICE' THEN ${termsAt("issue_price_per_1000", "c.partner_id", "c.posted_at")}${adjustmentTakes ? `
        WHEN 'TAKEN_LOTS_PRICE' THEN ${termsAt("issue_price_per_1000", "c.partner_id", "c.posted_at")}` : ""}
        WHEN 'REDEMPTION_PRICE' THEN ${termsAt("redemption_price_per_1000", "c.partner_id", "c.posted_at")}
        WHEN 'REVERSED_PURCHASE_PRICE' THEN (SELECT l.issue_price_per_1000 FROM lots l WHERE l.transaction_id = c.reverses_transaction_id ORDER BY l.id LIMIT 1)
        WHEN 'REVERSED_REDEMPTION_PRICE' THEN (SELECT mp.price_per_1000 FROM movement_prices mp WHERE mp.transaction_id = c.reverses_transaction_id AND mp.partner_id = c.partner_id)
        WHEN 'EXPIRED_LOT_SHARE' THEN (SELECT l.issue_price_per_1000 FROM lots l WHERE l.id = c.expired_lot_id)${refundedBreakage ? `
        WHEN 'REFUNDED_BREAKAGE' THEN ${refundedBreakageSql(refundedBreakage, "price_per_1000")}` : ""}
      END`;
const percent = (refundedBreakage: RefundedBreakage) => refundedBreakage
  ? `CASE c.price_source
        WHEN 'EXPIRED_LOT_SHARE' THEN ${termsAt("breakage_share_percent", "c.partner_id", "c.posted_at")}
        WHEN 'REFUNDED_BREAKAGE' THEN ${refundedBreakageSql(refundedBreakage, "share_percent")}
        ELSE 100 END`
  : `CASE WHEN c.price_source = 'EXPIRED_LOT_SHARE' THEN ${termsAt("breakage_share_percent", "c.partner_id", "c.posted_at")} ELSE 100 END`;

/**
 * What changed in the valuation since the ClearingHouse migration first installed it, as options, so
 * that the earlier definition is still built as it was installed:
 * - `lines`: the rules the trigger classifies with (STATEMENT_LINES now; before
 *   ReversalsAsCharged1734330000000, without the rows for a refund's bonus reversals, which were then
 *   plain BONUS movements valued at the issue price in force when the refund was posted);
 * - `reversalsGiveBackWhatTheyDrew`: a reversal gives a PREPAID issuer's allowance back only if the
 *   movement it reverses drew on it (posted while the issuer was PREPAID); before, a refund of a
 *   purchase from its POSTPAID days gave it allowance it never paid for;
 * - `adjustmentsTakeNothingBack`: a negative adjustment a PREPAID partner funds gives its allowance
 *   nothing back (`takenBackByAdjustmentSql`); before PrepaidAdjustmentsTakeNothingBack1734890000000 it
 *   gave back every point it took, whoever had issued them;
 * - `refundedBreakage`: the REFUNDED_BREAKAGE price (the lines that use it came with it: before
 *   RefundsTakeBackBreakage1734890000003 a refund never posted to a breakage account); "OWN_LOT" until
 *   LotOrigins1734930000000 (the reversed transaction's own lot's expiry), "LOT_ORIGINS" since (the
 *   first expiry of that lot or a lot whose origins lead to it).
 */
interface ValuationShape {
  lines: readonly StatementLineRule[];
  reversalsGiveBackWhatTheyDrew: boolean;
  adjustmentsTakeNothingBack: boolean;
  refundedBreakage: RefundedBreakage;
  /**
   * A negative adjustment a partner funds is valued at the prices of the lots it took (TAKEN_LOTS_PRICE:
   * its `lot_takes`, written before its postings); before AdjustmentTakesAtLotPrices1734940000000 at the
   * funder's issue price in force, whoever's lots it took.
   */
  adjustmentTakes: boolean;
}

/** The lines before AdjustmentTakesAtLotPrices1734940000000 (without TAKEN_LOTS_PRICE), which every earlier definition was built from. */
const LINES_BEFORE_ADJUSTMENT_TAKES = STATEMENT_LINES.filter((r) => r.price !== "TAKEN_LOTS_PRICE");

/** The lines before RefundsTakeBackBreakage1734890000003. */
const LINES_BEFORE_REFUNDED_BREAKAGE = LINES_BEFORE_ADJUSTMENT_TAKES.filter((r) => r.price !== "REFUNDED_BREAKAGE");

/**
 * A TAKEN_LOTS_PRICE row's takes, joined to `priced`: how many points the adjustment took from lots
 * (`taken_points`) and their exact value at each lot's own price (`taken_value`); nulls on every other row.
 */
const TAKEN = `LEFT JOIN LATERAL (
      SELECT sum(lt.points) AS points, sum(${exactValueSql("lt.points", "coalesce(l.issue_price_per_1000, 0)")}) AS value
      FROM lot_takes lt JOIN lots l ON l.id = lt.lot_id WHERE c.price_source = 'TAKEN_LOTS_PRICE' AND lt.transaction_id = c.tx_id
    ) taken ON true`;

/** A row's exact value at `percent` (rules `exactValue`; a take-back's `takenBackValue`: its lots at their prices, the rest at `price`). */
const valueOf = (adjustmentTakes: boolean, percent: string) => adjustmentTakes
  ? `CASE WHEN p.taken_points IS NULL THEN ${exactValueSql("p.points", "p.price", percent)} ELSE ${exactValueSql("(p.points + p.taken_points)", "p.price", percent)} - p.taken_value END`
  : exactValueSql("p.points", "p.price", percent);

/** The trigger function over `new_rows`, the statement's postings (see the file's comment). */
const clearingValuePostings = ({ lines, reversalsGiveBackWhatTheyDrew, adjustmentsTakeNothingBack, refundedBreakage, adjustmentTakes }: ValuationShape): FunctionDefinition => ({
  name: "clearing_value_postings",
  arguments: "",
  returns: "trigger",
  language: "plpgsql",
  body: `
DECLARE
  v_short bigint;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(${CLEARING_LOCK_KEY});
  WITH moved AS (
    -- Postings to partners' and the coalition's accounts; a group of purchases collapses to one row per partner.
    SELECT a.kind AS account_kind, a.owner_id AS partner_id, t.kind AS tx_kind, t.reversal_reason, t.reverses_transaction_id, t.expired_lot_id,
           ${POSTED_AT} AS posted_at, CASE WHEN t.kind = 'EARN' THEN NULL ELSE t.id END AS tx_id, sum(n.amount) AS amount
    FROM new_rows n JOIN accounts a ON a.id = n.account_id JOIN transactions t ON t.id = n.transaction_id
    WHERE n.member_id IS NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ), classified AS (
    SELECT m.*, clearing_period(m.posted_at) AS period,
           ${caseOf((r) => quote(r.line), "'OTHER'", "m", lines)} AS line,
           m.amount * ${caseOf((r) => String(r.pointsSign), "1", "m", lines)} AS points,
           ${caseOf((r) => quote(r.price), "'NONE'", "m", lines)} AS price_source
    FROM moved m
  ), priced AS (
    SELECT c.*, coalesce(${price(refundedBreakage, adjustmentTakes)}, 0)::bigint AS price, coalesce(${percent(refundedBreakage)}, 0)::int AS percent${adjustmentTakes ? `,
           taken.points AS taken_points, taken.value AS taken_value` : ""}
    FROM classified c${adjustmentTakes ? `
    ${TAKEN}` : ""}
  ), totals AS (
    INSERT INTO clearing_totals AS ct (period, partner_id, line, points, value, charged_value)
    SELECT p.period, p.partner_id, p.line, sum(p.points), sum(${valueOf(adjustmentTakes, "p.percent")}), sum(${valueOf(adjustmentTakes, "100")})
    FROM priced p GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (period, partner_id, line) DO UPDATE
      SET points = ct.points + EXCLUDED.points, value = ct.value + EXCLUDED.value, charged_value = ct.charged_value + EXCLUDED.charged_value
  ), prices AS (
    INSERT INTO movement_prices (transaction_id, partner_id, line, price_per_1000, share_percent)
    SELECT p.tx_id, p.partner_id, p.line, p.price, p.percent FROM priced p WHERE p.tx_id IS NOT NULL AND p.price_source <> 'NONE'
    ON CONFLICT DO NOTHING
  ), cancelled AS (
    -- A cancelled redemption gives back to each issuer what its lots paid (lot_takes of the redemption).
    INSERT INTO clearing_matrix AS cm (period, issuer_id, redeemer_id, points, charged_value)
    SELECT p.period, l.partner_id, p.partner_id, -sum(lt.points), -sum(${exactValueSql("lt.points", "coalesce(l.issue_price_per_1000, 0)")})
    FROM priced p JOIN lot_takes lt ON lt.transaction_id = p.reverses_transaction_id JOIN lots l ON l.id = lt.lot_id
    WHERE p.line = 'REDEMPTION_CANCELLATIONS' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (period, issuer_id, redeemer_id) DO UPDATE SET points = cm.points + EXCLUDED.points, charged_value = cm.charged_value + EXCLUDED.charged_value
  ), prepaid AS (
    -- PREPAID issuers: what they issue (net of what refunds give back) comes off the allowance.
    INSERT INTO prepaid_allowances AS pa (partner_id, remaining)
    SELECT p.partner_id, sum(p.amount) FROM priced p
    WHERE p.account_kind = 'PARTNER_ISSUANCE' AND ${isPrepaidAtSql("p.partner_id", "p.posted_at")}${reversalsGiveBackWhatTheyDrew ? `
      AND (p.reverses_transaction_id IS NULL
           OR ${isPrepaidAtSql("p.partner_id", `(SELECT ${postedAtOf("o")} FROM transactions o WHERE o.id = p.reverses_transaction_id)`)})` : ""}${adjustmentsTakeNothingBack ? `
      AND NOT ${takenBackByAdjustmentSql("p.tx_kind", "p.amount")}` : ""}
    GROUP BY 1 HAVING sum(p.amount) <> 0 ORDER BY 1
    ON CONFLICT (partner_id) DO UPDATE SET remaining = pa.remaining + EXCLUDED.remaining
    RETURNING pa.remaining
  )
  SELECT min(remaining) INTO v_short FROM prepaid;
  IF v_short < 0 THEN
    RAISE EXCEPTION 'prepaid allowance exceeded' USING ERRCODE = 'CLPRE';
  END IF;
  RETURN NULL;
END `,
});

export const CLEARING_VALUE_POSTINGS = clearingValuePostings({
  lines: STATEMENT_LINES, reversalsGiveBackWhatTheyDrew: true, adjustmentsTakeNothingBack: true, refundedBreakage: "LOT_ORIGINS", adjustmentTakes: true,
});

/**
 * As LotOrigins1734930000000 installed it (AdjustmentTakesAtLotPrices1734940000000 replaced it): a negative
 * adjustment a partner funded was credited at the funder's issue price in force, whoever's lots it took.
 */
export const CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENT_TAKES = clearingValuePostings({
  lines: LINES_BEFORE_ADJUSTMENT_TAKES, reversalsGiveBackWhatTheyDrew: true, adjustmentsTakeNothingBack: true, refundedBreakage: "LOT_ORIGINS", adjustmentTakes: false,
});

/**
 * As RefundsTakeBackBreakage1734890000003 installed it (LotOrigins1734930000000 replaced it): a take-back
 * was priced by the expiry of the reversed transaction's own lot only.
 */
export const CLEARING_VALUE_POSTINGS_BEFORE_LOT_ORIGINS = clearingValuePostings({
  lines: LINES_BEFORE_ADJUSTMENT_TAKES, reversalsGiveBackWhatTheyDrew: true, adjustmentsTakeNothingBack: true, refundedBreakage: "OWN_LOT", adjustmentTakes: false,
});

/**
 * As PrepaidAdjustmentsTakeNothingBack1734890000000 installed it (RefundsTakeBackBreakage1734890000003
 * replaced it): a refund's points that had expired were taken from the member (or owed), and the issuer,
 * credited their breakage share by the expiry, was credited their full price again by the refund.
 */
export const CLEARING_VALUE_POSTINGS_BEFORE_REFUNDED_BREAKAGE = clearingValuePostings({
  lines: LINES_BEFORE_REFUNDED_BREAKAGE, reversalsGiveBackWhatTheyDrew: true, adjustmentsTakeNothingBack: true, refundedBreakage: false, adjustmentTakes: false,
});

/** As ErasureForfeitsAsBreakage1734830000000 installed it (PrepaidAdjustmentsTakeNothingBack1734890000000 replaced it): a negative adjustment gave a PREPAID funder back every point it took. */
export const CLEARING_VALUE_POSTINGS_BEFORE_ADJUSTMENTS_TAKE_NOTHING_BACK = clearingValuePostings({
  lines: LINES_BEFORE_REFUNDED_BREAKAGE,
  reversalsGiveBackWhatTheyDrew: true,
  adjustmentsTakeNothingBack: false,
  refundedBreakage: false,
  adjustmentTakes: false,
});

/** As ReversalsAsCharged1734330000000 installed it (ErasureForfeitsAsBreakage1734830000000 replaced it): an erasure's forfeit was OTHER. */
export const CLEARING_VALUE_POSTINGS_BEFORE_FORFEITS = clearingValuePostings({
  lines: LINES_BEFORE_REFUNDED_BREAKAGE.filter((r) => !r.emptiesOneLot),
  reversalsGiveBackWhatTheyDrew: true,
  adjustmentsTakeNothingBack: false,
  refundedBreakage: false,
  adjustmentTakes: false,
});

/** As ClearingHouse1734000000000 installed it (ReversalsAsCharged1734330000000 replaced it). */
export const CLEARING_VALUE_POSTINGS_AS_FIRST_INSTALLED = clearingValuePostings({
  lines: LINES_BEFORE_REFUNDED_BREAKAGE.filter((r) => !r.emptiesOneLot && !(r.transactionKind === "BONUS" && r.reversalReason !== null)),
  reversalsGiveBackWhatTheyDrew: false,
  adjustmentsTakeNothingBack: false,
  refundedBreakage: false,
  adjustmentTakes: false,
});

export const CLEARING_MATCH_LOT_TAKES: FunctionDefinition = {
  name: "clearing_match_lot_takes",
  arguments: "",
  returns: "trigger",
  language: "plpgsql",
  body: `
BEGIN
  PERFORM pg_advisory_xact_lock_shared(${CLEARING_LOCK_KEY});
  INSERT INTO clearing_matrix AS cm (period, issuer_id, redeemer_id, points, charged_value)
  SELECT clearing_period(${POSTED_AT}), l.partner_id, t.partner_id, sum(n.points), sum(${exactValueSql("n.points", "coalesce(l.issue_price_per_1000, 0)")})
  FROM new_rows n JOIN lots l ON l.id = n.lot_id JOIN transactions t ON t.id = n.transaction_id
  WHERE t.kind = 'REDEEM' AND t.partner_id IS NOT NULL
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (period, issuer_id, redeemer_id) DO UPDATE SET points = cm.points + EXCLUDED.points, charged_value = cm.charged_value + EXCLUDED.charged_value;
  RETURN NULL;
END `,
};

/** As ClearingHouse1734000000000 installed it: the price read without the clearing lock (TermsAfterWriters1734810000000 added it). */
export const CLEARING_PRICE_LOT_AS_FIRST_INSTALLED: FunctionDefinition = {
  name: "clearing_price_lot",
  arguments: "",
  returns: "trigger",
  language: "plpgsql",
  body: `
BEGIN
  NEW.issue_price_per_1000 := coalesce((SELECT clearing_issue_price(NEW.partner_id, ${POSTED_AT}) FROM transactions t WHERE t.id = NEW.transaction_id), 0);
  RETURN NEW;
END `,
};

/**
 * Every writer reads a partner's terms under the clearing lock (shared), as `setPartnerTerms` takes it
 * alone before it reads its clock (clearing/terms.service.ts): a writer whose posting time is at or
 * after new terms' `effectiveFrom` waits for them to commit and then sees them (the statement after
 * the lock reads a new snapshot). Without it, a lot priced in the instant between the terms' clock and
 * their commit kept the old price while the movement was valued at the new one (TermsAfterWriters1734810000000).
 */
export const CLEARING_PRICE_LOT: FunctionDefinition = {
  ...CLEARING_PRICE_LOT_AS_FIRST_INSTALLED,
  body: `
BEGIN
  PERFORM pg_advisory_xact_lock_shared(${CLEARING_LOCK_KEY});
  NEW.issue_price_per_1000 := coalesce((SELECT clearing_issue_price(NEW.partner_id, ${POSTED_AT}) FROM transactions t WHERE t.id = NEW.transaction_id), 0);
  RETURN NEW;
END `,
};

export const CLEARING_FUNCTIONS: readonly FunctionDefinition[] = [
  CLEARING_ISSUE_PRICE, CLEARING_PERIOD, CLEARING_VALUE_POSTINGS, CLEARING_MATCH_LOT_TAKES, CLEARING_PRICE_LOT,
];

/** The clearing functions as ClearingHouse1734000000000 installed them. */
export const CLEARING_FUNCTIONS_AS_FIRST_INSTALLED: readonly FunctionDefinition[] = CLEARING_FUNCTIONS.map((f) =>
  f.name === CLEARING_VALUE_POSTINGS.name ? CLEARING_VALUE_POSTINGS_AS_FIRST_INSTALLED : f.name === CLEARING_PRICE_LOT.name ? CLEARING_PRICE_LOT_AS_FIRST_INSTALLED : f,
);
