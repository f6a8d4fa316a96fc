import { APPLY_CAMPAIGN_BONUSES_CALL } from "./campaign-bonuses";
import { CLEARING_LOCK_KEY, issuePriceAtSql } from "./clearing";
import type { FunctionDefinition } from "./function-definition";
import { qualifyingAtSql, qualifyingNowSql } from "./qualifying";
import { heldPointsFitUnderCapSql, pointsAtTierSql, repaidOnArrivalSql, tierPercentSql } from "../rules";

/**
 * The ONE current definition of `record_purchases`, the purchase hot path (see README, "Group commit
 * for purchases"): checks each key, locks the members, reads each member's tier and writes the
 * postings, the purchase, the lot and every running total, for a group of purchases in one call.
 *
 * Rules reach it as arguments, never as literals: the tier thresholds and percents
 * (rules/tiers.ts), the member points cap (rules/cap.ts), each purchase's qualifying window start
 * (rules/windows.ts `qualifyingWindowStart`), its base points, pending end and expiry (rules/earn.ts,
 * windows.ts, expiry.ts). The qualifying sums are generated text from sql/qualifying.ts.
 *
 * To change it: edit this file and add a migration that calls `installFunction(RECORD_PURCHASES)`
 * (its down() re-creates the definition it replaced, frozen in the older migration).
 * test/ledger-sql.test.ts fails while the database's function differs from this text.
 */
/**
 * An erased member's id earns nothing (MemberErasures1734210000000): the purchase answers
 * UNKNOWN_MEMBER, and the members service, which no longer knows the id, makes it NOT_FOUND. Read
 * after the member's lock, which the erasure's forfeit holds while it marks the id: a purchase is
 * written before the forfeit (and forfeited) or refused, never after it.
 */
const ERASED_MEMBERS_EARN_NOTHING = `
      AND NOT EXISTS (SELECT FROM member_erasures e WHERE e.member_id = i.member)`;

/** Campaign and referral bonuses of the purchases just written, in this transaction (Campaigns1734100000000; sql/campaign-bonuses.ts). */
const CAMPAIGN_BONUSES_STEP = `  -- Campaign and referral bonuses of the purchases just written, in this transaction (sql/campaign-bonuses.ts).
${APPLY_CAMPAIGN_BONUSES_CALL}`;

/** The whole text, unpriced: RECORD_PURCHASES below is it with the clearing house's two edits. */
const RECORD_PURCHASES_TEXT: FunctionDefinition = {
  name: "record_purchases",
  arguments:
    "p_keys text[], p_fingerprints text[], p_members uuid[], p_partners uuid[], p_references text[], p_amounts bigint[], " +
    "p_base_points integer[], p_earned_at timestamp with time zone[], p_available_at timestamp with time zone[], " +
    "p_expires_at timestamp with time zone[], p_tier_at timestamp with time zone[], p_tier_from timestamp with time zone[], " +
    "p_vouched uuid[], p_tier_thresholds bigint[], p_tier_percents integer[], p_now timestamp with time zone, p_points_cap bigint",
  returns:
    "TABLE(slot integer, outcome text, id uuid, member_id uuid, partner_id uuid, entry_kind text, amount bigint, reference text, " +
    "occurred_at timestamp with time zone, over_limit text)",
  language: "plpgsql",
  body: `
#variable_conflict use_column
BEGIN
  INSERT INTO accounts (kind, owner_id) SELECT 'MEMBER', v FROM unnest(p_vouched) v ORDER BY v ON CONFLICT DO NOTHING;
  -- The members' locks first, in id order; what depends on their earlier purchases is read after (a new snapshot).
  PERFORM 1 FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = ANY(p_members) ORDER BY a.owner_id FOR UPDATE;
  RETURN QUERY
  WITH input AS (
    SELECT * FROM unnest(p_keys, p_fingerprints, p_members, p_partners, p_references, p_amounts, p_base_points, p_earned_at, p_available_at, p_expires_at,
                         p_tier_at, p_tier_from)
      WITH ORDINALITY AS i(key, fingerprint, member, partner, reference, amount_minor, base_points, earned_at, available_at, expires_at, tier_at, tier_from, slot)
  ), recorded AS (
    SELECT i.slot, t.id AS tx, t.fingerprint = i.fingerprint AS same_input
    FROM input i JOIN transactions t ON t.idempotency_key = i.key
  ), fresh AS (
    SELECT i.*, a.id AS account, a.debt, a.balance,
           coalesce((SELECT sum(mpp.earned) FROM member_partner_points mpp WHERE mpp.member_id = i.member), 0)::bigint AS lifetime_earned,
           -- The tier's qualifying points (sql/qualifying.ts): now for a purchase recorded live, at the
           -- time it was made for a late one (tier_at), the window starting at tier_from (rules: qualifyingWindowStart).
           CASE WHEN i.tier_at IS NULL THEN ${qualifyingNowSql("i.member", "p_now", "i.tier_from")}
                ELSE ${qualifyingAtSql("i.member", "i.tier_at", "i.tier_from")} END AS qualifying
    FROM input i JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = i.member
    WHERE NOT EXISTS (SELECT FROM recorded r WHERE r.slot = i.slot)${ERASED_MEMBERS_EARN_NOTHING}
  ), priced AS (
    SELECT f.*, ${pointsAtTierSql("f.base_points", tierPercentSql("f.qualifying", "p_tier_thresholds", "p_tier_percents"))} AS points
    FROM fresh f
  ), checked AS (
    -- The member's figures after this purchase against the cap (read under the member's lock, one purchase per member per call).
    SELECT p.*, CASE WHEN p.lifetime_earned + p.points > p_points_cap THEN 'lifetimeEarned'
                     WHEN p.balance + p.points > p_points_cap THEN 'balance' END AS over_limit
    FROM priced p
  ), tx AS (
    -- A key a concurrent call records first is skipped here (after waiting for its commit); the caller asks again.
    INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at)
    SELECT 'EARN', p.key, p.fingerprint, p.partner, p.reference, p.earned_at FROM checked p WHERE p.over_limit IS NULL ORDER BY p.slot
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING transactions.id, transactions.idempotency_key
  ), made AS (
    -- New points repay what refunds left the member owing first, once spendable (rules/debt.ts): points
    -- inside a return window repay nothing now (the member's next write, or the expiry run, repays from them once spendable).
    SELECT p.*, tx.id AS tx, ${repaidOnArrivalSql("p.debt", "p.points", "p.available_at", "p_now")} AS repaid
    FROM checked p JOIN tx ON tx.idempotency_key = p.key
  ), member_balances AS (
    UPDATE accounts a SET balance = a.balance + m.points, debt = a.debt - m.repaid FROM made m WHERE a.id = m.account
  ), purchase_rows AS (
    INSERT INTO purchases (transaction_id, member_id, partner_id, amount_minor, points, base_points, earned_at, available_at)
    SELECT m.tx, m.member, m.partner, m.amount_minor, m.points, m.base_points, m.earned_at, m.available_at FROM made m
  ), lot_rows AS (
    INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at)
    SELECT m.tx, m.member, m.partner, 'EARN', m.points, m.points - m.repaid, m.earned_at, m.available_at, m.expires_at FROM made m WHERE m.points > 0
  ), partner_totals AS (
    INSERT INTO member_partner_points AS mpp (member_id, partner_id, earned)
    SELECT m.member, m.partner, m.points FROM made m ORDER BY 1, 2
    ON CONFLICT (member_id, partner_id) DO UPDATE SET earned = mpp.earned + EXCLUDED.earned
  ), qualifying_days AS (
    INSERT INTO qualifying_points AS q (member_id, day, points)
    SELECT m.member, (m.earned_at AT TIME ZONE 'UTC')::date, m.base_points FROM made m WHERE m.base_points <> 0 ORDER BY 1, 2
    ON CONFLICT (member_id, day) DO UPDATE SET points = q.points + EXCLUDED.points
  ), issued AS (
    -- The partners' issuance accounts, in id order: a hot row, locked last and held only until commit.
    INSERT INTO accounts AS a (kind, owner_id, balance)
    SELECT 'PARTNER_ISSUANCE', m.partner, -sum(m.points) FROM made m GROUP BY m.partner ORDER BY m.partner
    ON CONFLICT (kind, owner_id) DO UPDATE SET balance = a.balance + EXCLUDED.balance
    RETURNING a.id, a.owner_id
  ), partner_postings AS (
    INSERT INTO postings (transaction_id, account_id, amount, occurred_at)
    SELECT m.tx, issued.id, -m.points, m.earned_at FROM made m JOIN issued ON issued.owner_id = m.partner
  ), member_postings AS (
    INSERT INTO postings AS po (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
    SELECT m.tx, m.account, m.points, m.earned_at, m.member, 'EARN' FROM made m
    RETURNING po.id, po.transaction_id, po.member_id, po.entry_kind, po.amount, po.occurred_at
  )
  SELECT m.slot::int, 'CREATED', mp.id, mp.member_id, m.partner, mp.entry_kind, mp.amount, m.reference, mp.occurred_at, NULL::text
  FROM member_postings mp JOIN made m ON m.tx = mp.transaction_id
  UNION ALL
  SELECT r.slot::int, 'REPLAYED', po.id, po.member_id, t.partner_id, po.entry_kind, po.amount, t.reference, po.occurred_at, NULL
  FROM recorded r JOIN input i ON i.slot = r.slot JOIN transactions t ON t.id = r.tx
  JOIN postings po ON po.transaction_id = r.tx AND po.member_id = i.member
  WHERE r.same_input
  UNION ALL
  SELECT r.slot::int, 'CONFLICT', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM recorded r WHERE NOT r.same_input
  UNION ALL
  -- Refused: the figure it would pass and the value it would reach.
  SELECT c.slot::int, 'LIMIT_EXCEEDED', NULL, c.member, NULL, NULL,
         CASE c.over_limit WHEN 'lifetimeEarned' THEN c.lifetime_earned ELSE c.balance END + c.points, NULL, NULL, c.over_limit
  FROM checked c WHERE c.over_limit IS NOT NULL
  UNION ALL
  SELECT i.slot::int, 'UNKNOWN_MEMBER', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM input i
  WHERE NOT EXISTS (SELECT FROM recorded r WHERE r.slot = i.slot) AND NOT EXISTS (SELECT FROM fresh f WHERE f.slot = i.slot);
${CAMPAIGN_BONUSES_STEP}END `,
};

/**
 * The clearing house's two edits to the text above (sql/clearing.ts values the postings by trigger):
 * each transaction records when the ledger wrote it (`posted_at`, the period it belongs to), and each
 * lot the issue price it was charged at (the price refunds and expiry are valued at later). Applied
 * to the text above, so an edit there flows into the installed definition.
 */
const PRICED_BY_CALL = "clearing_issue_price(m.partner, p_now)";
/** As ClearingHouse1734000000000 and the migrations up to IssuePriceInPlace1734700000000 installed it: each lot's price by a call of `clearing_issue_price`. */
const RECORD_PURCHASES_PRICED_BY_CALL: FunctionDefinition = {
  ...RECORD_PURCHASES_TEXT,
  body: replaceOnce(
    replaceOnce(
      RECORD_PURCHASES_TEXT.body,
      `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at)
    SELECT 'EARN', p.key, p.fingerprint, p.partner, p.reference, p.earned_at FROM checked p`,
      `INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at, posted_at)
    SELECT 'EARN', p.key, p.fingerprint, p.partner, p.reference, p.earned_at, p_now FROM checked p`,
    ),
    `INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at)
    SELECT m.tx, m.member, m.partner, 'EARN', m.points, m.points - m.repaid, m.earned_at, m.available_at, m.expires_at FROM made m`,
    `INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at, issue_price_per_1000)
    SELECT m.tx, m.member, m.partner, 'EARN', m.points, m.points - m.repaid, m.earned_at, m.available_at, m.expires_at, ${PRICED_BY_CALL} FROM made m`,
  ),
};

/** As IssuePriceInPlace1734700000000 installed it: each lot's issue price read in place (sql/clearing.ts `issuePriceAtSql`, the rule the function holds too). */
const RECORD_PURCHASES_PRICED_IN_PLACE: FunctionDefinition = {
  ...RECORD_PURCHASES_PRICED_BY_CALL,
  body: replaceOnce(RECORD_PURCHASES_PRICED_BY_CALL.body, PRICED_BY_CALL, issuePriceAtSql("m.partner", "p_now")),
};

/** The members' locks, the statement after which everything is read. */
const MEMBER_LOCKS = `  PERFORM 1 FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = ANY(p_members) ORDER BY a.owner_id FOR UPDATE;
`;

/**
 * The current definition: the clearing lock (shared) right after the members' locks, before any
 * partner's terms are read (the lots' prices, a PREPAID funder's allowance), so a group posted at or
 * after new terms' `effectiveFrom` waits for them to commit and prices at them (sql/clearing.ts,
 * CLEARING_PRICE_LOT; TermsAfterWriters1734810000000).
 */
const RECORD_PURCHASES_TERMS_AFTER_WRITERS: FunctionDefinition = {
  ...RECORD_PURCHASES_PRICED_IN_PLACE,
  body: replaceOnce(
    RECORD_PURCHASES_PRICED_IN_PLACE.body,
    MEMBER_LOCKS,
    `${MEMBER_LOCKS}  -- Partners' terms are read under the clearing lock, shared (sql/clearing.ts CLEARING_PRICE_LOT says why).
  PERFORM pg_advisory_xact_lock_shared(${CLEARING_LOCK_KEY});
`,
  ),
};

/** The clearing lock, the statement after which the debts are brought up to date. */
const CLEARING_LOCK = `  PERFORM pg_advisory_xact_lock_shared(${CLEARING_LOCK_KEY});
`;

/**
 * The current definition: each purchasing member's debt first repaid by the points that became
 * spendable since their last write, in the order they did (sql/repay-debt.ts), so this call's points
 * repay only what is left. A purchase's own points repaid a debt at once, before a lot of an earlier
 * purchase that became spendable since and was past its expiry by then: the expiry run then expired
 * that lot in full, and the member lost its points (DebtsInTimeOrderAtPurchases1734850000000).
 */
const RECORD_PURCHASES_DEBTS_IN_TIME_ORDER: FunctionDefinition = {
  ...RECORD_PURCHASES_TERMS_AFTER_WRITERS,
  body: replaceOnce(
    RECORD_PURCHASES_TERMS_AFTER_WRITERS.body,
    CLEARING_LOCK,
    `${CLEARING_LOCK}  -- Debts repaid by what became spendable since each member's last write, before this call's points (sql/repay-debt.ts).
  PERFORM repay_debt_in_time_order(a.owner_id, p_now) FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = ANY(p_members) AND a.debt > 0;
`,
  ),
};

/** The purchases' cap check and the figure a refusal reports, before PendingWithinCap1734860000000. */
const BALANCE_CAP = `WHEN p.balance + p.points > p_points_cap THEN 'balance' END AS over_limit`;
const REFUSED_FIGURE = `CASE c.over_limit WHEN 'lifetimeEarned' THEN c.lifetime_earned ELSE c.balance END + c.points`;

/**
 * The current definition: a purchase may not take what the member holds (balance plus debt, pending
 * points included) past the cap either (rules/cap.ts `heldPointsWouldPassCap`, figure
 * `balanceBeforeDebt`): checking the balance alone, a member owing 1,000 could be given 2,147,484,647
 * pending points, and `pending` no longer read (PendingWithinCap1734860000000).
 */
const RECORD_PURCHASES_PENDING_WITHIN_CAP: FunctionDefinition = {
  ...RECORD_PURCHASES_DEBTS_IN_TIME_ORDER,
  body: replaceOnce(
    replaceOnce(
      RECORD_PURCHASES_DEBTS_IN_TIME_ORDER.body,
      BALANCE_CAP,
      `WHEN p.balance + p.points > p_points_cap THEN 'balance'
                     WHEN NOT ${heldPointsFitUnderCapSql("p.balance", "p.debt", "p.points", "p_points_cap")} THEN 'balanceBeforeDebt' END AS over_limit`,
    ),
    REFUSED_FIGURE,
    `CASE c.over_limit WHEN 'lifetimeEarned' THEN c.lifetime_earned WHEN 'balanceBeforeDebt' THEN c.balance + c.debt ELSE c.balance END + c.points`,
  ),
};

/** The vouched members' accounts made, and the members' locks taken: the two statements the referrers join. */
const VOUCHED_AND_MEMBER_LOCKS = `BEGIN
  INSERT INTO accounts (kind, owner_id) SELECT 'MEMBER', v FROM unnest(p_vouched) v ORDER BY v ON CONFLICT DO NOTHING;
  -- The members' locks first, in id order; what depends on their earlier purchases is read after (a new snapshot).
${MEMBER_LOCKS}`;

/**
 * The current definition: the referrers a first purchase of the group may pay (the members' referrals
 * not yet consumed, sql/referral-bonuses.ts) are locked with the members, in one statement in id order,
 * before any account, as a refund of a friend's first purchase (reversal.service.ts) and a transfer lock
 * them. The referral step locked the referrer last, after the partner's and the coalition's issuance
 * accounts: a refund of one friend's first purchase (friend and referrer, then the partner's account)
 * and another friend's first purchase at that partner met in a lock cycle, and Postgres aborted one
 * (ReferrersLockedWithMembers1734890000002). A referrer with no account yet gets one at zero, as
 * lockMembers and the referral step make it.
 */
const RECORD_PURCHASES_REFERRERS_LOCKED_WITH_MEMBERS: FunctionDefinition = {
  ...RECORD_PURCHASES_PENDING_WITHIN_CAP,
  body: replaceOnce(
    RECORD_PURCHASES_PENDING_WITHIN_CAP.body,
    VOUCHED_AND_MEMBER_LOCKS,
    `DECLARE
  v_referrers uuid[];
BEGIN
  -- The referrers the group's first purchases may pay, locked with the members (sql/referral-bonuses.ts pays them).
  v_referrers := ARRAY(SELECT rf.referrer_member_id FROM referrals rf WHERE rf.referred_member_id = ANY(p_members) AND rf.earn_transaction_id IS NULL);
  INSERT INTO accounts (kind, owner_id) SELECT 'MEMBER', v FROM unnest(p_vouched || v_referrers) v ORDER BY v ON CONFLICT DO NOTHING;
  -- The members' locks first, with those referrers, in id order, before any other row; what depends on their earlier purchases is read after (a new snapshot).
  PERFORM 1 FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = ANY(p_members || v_referrers) ORDER BY a.owner_id FOR UPDATE;
`,
  ),
};

/** The purchase row as every definition before TierAtPurchase1734950000001 wrote it. */
const PURCHASE_ROW = `INSERT INTO purchases (transaction_id, member_id, partner_id, amount_minor, points, base_points, earned_at, available_at)
    SELECT m.tx, m.member, m.partner, m.amount_minor, m.points, m.base_points, m.earned_at, m.available_at FROM made m`;

/**
 * The current definition: each purchase records the qualifying points its tier was read from
 * (`purchases.tier_qualifying_points`, the `qualifying` above: now for a live purchase, at its time for a
 * late one; the seeders write it too, seed/bulk-seed.ts), so ledger:verify checks its points against the
 * tier the member had then (rules/tiers.ts).
 * The history cannot say it afterwards: the qualifying sums read refunds made since and late purchases
 * recorded since at their earlier times (TierAtPurchase1734950000001).
 */
export const RECORD_PURCHASES: FunctionDefinition = {
  ...RECORD_PURCHASES_REFERRERS_LOCKED_WITH_MEMBERS,
  body: replaceOnce(
    RECORD_PURCHASES_REFERRERS_LOCKED_WITH_MEMBERS.body,
    PURCHASE_ROW,
    `INSERT INTO purchases (transaction_id, member_id, partner_id, amount_minor, points, base_points, earned_at, available_at, tier_qualifying_points)
    SELECT m.tx, m.member, m.partner, m.amount_minor, m.points, m.base_points, m.earned_at, m.available_at, m.qualifying FROM made m`,
  ),
};

/** RECORD_PURCHASES less the clearing house's two edits: exported only for the bench's with/without comparison (bench/valuation.ts). */
export const RECORD_PURCHASES_WITHOUT_VALUATION = RECORD_PURCHASES_TEXT;

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1) throw new Error(`record_purchases: expected exactly one "${from.slice(0, 60)}…"`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const without = (f: FunctionDefinition, part: string): FunctionDefinition => ({ ...f, body: replaceOnce(f.body, part, "") });

/**
 * The definitions the earlier migrations installed, each the current one less the later steps, in
 * migration order: RecordPurchasesFromRules1733400000000 (unpriced), ClearingHouse1734000000000
 * (priced), Campaigns1734100000000 (with the bonuses step), MemberErasures1734210000000 (erased
 * members earn nothing), IssuePriceInPlace1734700000000 (priced in place), TermsAfterWriters1734810000000 (the clearing lock);
 * DebtsInTimeOrderAtPurchases1734850000000 (debts repaid in time order first); PendingWithinCap1734860000000 (held
 * points within the cap); ReferrersLockedWithMembers1734890000002 (the referrers locked with the members);
 * TierAtPurchase1734950000001 installs RECORD_PURCHASES. Each migration's down() installs the one before it.
 */
export const RECORD_PURCHASES_BEFORE_TIER_AT_PURCHASE = RECORD_PURCHASES_REFERRERS_LOCKED_WITH_MEMBERS;
export const RECORD_PURCHASES_BEFORE_REFERRERS_LOCKED_WITH_MEMBERS = RECORD_PURCHASES_PENDING_WITHIN_CAP;
export const RECORD_PURCHASES_BEFORE_PENDING_WITHIN_CAP = RECORD_PURCHASES_DEBTS_IN_TIME_ORDER;
export const RECORD_PURCHASES_BEFORE_DEBTS_IN_TIME_ORDER = RECORD_PURCHASES_TERMS_AFTER_WRITERS;
export const RECORD_PURCHASES_BEFORE_TERMS_AFTER_WRITERS = RECORD_PURCHASES_PRICED_IN_PLACE;
export const RECORD_PURCHASES_BEFORE_ISSUE_PRICE_IN_PLACE = RECORD_PURCHASES_PRICED_BY_CALL;
export const RECORD_PURCHASES_BEFORE_ERASURES = without(RECORD_PURCHASES_PRICED_BY_CALL, ERASED_MEMBERS_EARN_NOTHING);
export const RECORD_PURCHASES_BEFORE_CAMPAIGNS = without(RECORD_PURCHASES_BEFORE_ERASURES, CAMPAIGN_BONUSES_STEP);
export const RECORD_PURCHASES_UNPRICED = without(without(RECORD_PURCHASES_TEXT, ERASED_MEMBERS_EARN_NOTHING), CAMPAIGN_BONUSES_STEP);
