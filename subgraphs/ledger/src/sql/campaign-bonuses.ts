import { COALITION_OWNER_ID } from "../journal/journal";
import { isPrepaidAtSql, issuePriceAtSql } from "./clearing";
import {
  CAMPAIGN_ORDER_SQL,
  TIER_THRESHOLDS,
  awardForSql,
  awardInOrderSql,
  bonusesFitUnderCapSql,
  campaignBonusSql,
  coversPurchaseAtSql,
  earnedAtOtherPartnerSql,
  inCampaignWindowSql,
  repaidFromSliceSql,
  tierRankSql,
  withinAfterWindowSql,
} from "../rules";
import { MADE } from "./made-purchases";
import { qualifyingAtSql, qualifyingNowSql } from "./qualifying";
import { referralBonuses } from "./referral-bonuses";
import type { FunctionDefinition } from "./function-definition";

/**
 * The campaign and referral bonuses of purchases, in the same database transaction as the purchases
 * (README, "Campaigns and referrals"). `record_purchases` calls `apply_campaign_bonuses` as its last
 * statement; the rules come from ../rules/campaigns.ts as generated text, the limits as arguments.
 */

/** The statement `record_purchases` ends with: its one link to campaigns. */
export const APPLY_CAMPAIGN_BONUSES_CALL = `  PERFORM apply_campaign_bonuses(p_keys, p_expires_at, p_tier_from, p_tier_thresholds, p_now, p_points_cap);\n`;

/**
 * A welcome bonus's condition: no other purchase of the member at the partner. The member's running
 * total there answers at once when it holds more than this purchase's points (the usual case for a
 * regular); only otherwise are the member's purchases read (zero-point or refunded ones may hide there).
 */
export const firstPurchaseAtPartnerSql = (member: string, partner: string, tx: string, points: string) =>
  `(CASE WHEN coalesce((SELECT mpp.earned FROM member_partner_points mpp WHERE mpp.member_id = ${member} AND mpp.partner_id = ${partner}), 0) > ${points}
         THEN false
         ELSE NOT EXISTS (SELECT FROM purchases o WHERE o.member_id = ${member} AND o.partner_id = ${partner} AND o.transaction_id IS DISTINCT FROM ${tx}) END)`;

const tierNames = `ARRAY[${TIER_THRESHOLDS.map((t) => `'${t.tier}'`).join(", ")}]`;
/**
 * The member's tier rank (1 = the lowest) before this purchase, when it was made (`earned_at`): its
 * qualifying points then, over the window the purchase writer passed (`tier_from`: the one ending now
 * for a live purchase, the one ending when it was made for a late one), less the purchase's own if
 * they counted at once (no return window). A late purchase meets `minimumTier` on the tier it earns
 * at (README, Campaigns and referrals), as its tier bonus does.
 */
const tierRankAtPurchase = tierRankSql(`${qualifyingAtSql("m.member_id", "m.earned_at", "m.tier_from")}
             - CASE WHEN m.available_at <= m.earned_at THEN m.base_points ELSE 0 END`, "p_tier_thresholds");
/**
 * The tier rank before CampaignAwardGuards1734800000000: qualifying points now over the window passed for
 * the purchase, which for a late purchase was the one ending when it was made: a window of up to two
 * years (12 months before the purchase to now), so a purchase backdated by a partner app met a
 * `minimumTier` its member had at no time.
 */
const tierRankInWindowToNow = tierRankSql(`${qualifyingNowSql("m.member_id", "p_now", "m.tier_from")}
             - CASE WHEN m.available_at <= p_now AND m.earned_at > m.tier_from THEN m.base_points ELSE 0 END`, "p_tier_thresholds");

/**
 * The cross-brand condition: an earlier purchase of the member at the campaign's other partner inside
 * the window, meeting `earned` (over its points `o.points`; CrossBrandEarned1734340000000 made it
 * "earned points": before, any purchase, a one-cent receipt included, opened the funder's bonus).
 */
export const crossBrandSql = (earned: string | null) => `(c.after_partner_id IS NULL
           OR EXISTS (SELECT FROM purchases o WHERE o.member_id = m.member_id AND o.partner_id = c.after_partner_id
                      AND ${withinAfterWindowSql("o.earned_at", "m.earned_at", "c.after_within_days")}${earned ? `
                      AND ${earned}` : ""}))`;

/**
 * What a purchase of `made m` must meet for campaign `c`, condition by condition (from rules/campaigns.ts):
 * `open`, `covers` and the three that read other tables, `welcome`, `crossBrand`, `tier`.
 */
export const CAMPAIGN_CONDITIONS = {
  open: `c.ended_at IS NULL AND c.ends_at > m.earned_at
      AND ${inCampaignWindowSql("c.starts_at", "c.ends_at", "m.earned_at")}
      AND m.amount_minor >= c.min_amount_minor`,
  covers: coversPurchaseAtSql("c.partner_ids", "c.categories", "m.partner_id", "m.category"),
  welcome: `(NOT c.first_purchase_at_partner OR ${firstPurchaseAtPartnerSql("m.member_id", "m.partner_id", "m.tx", "m.points")})`,
  crossBrand: crossBrandSql(earnedAtOtherPartnerSql("o.points")),
  tier: `(c.minimum_tier IS NULL OR ${tierRankAtPurchase} >= array_position(${tierNames}, c.minimum_tier))`,
};
/** The conditions as every migration before CampaignAwardGuards1734800000000 installed them (its `tier` read over a window to now). */
export const CAMPAIGN_CONDITIONS_BEFORE_TIER_AT_PURCHASE: typeof CAMPAIGN_CONDITIONS = {
  ...CAMPAIGN_CONDITIONS,
  tier: `(c.minimum_tier IS NULL OR ${tierRankInWindowToNow} >= array_position(${tierNames}, c.minimum_tier))`,
};

/**
 * Which open campaigns a purchase of `made m` meets (campaign `c`): the join condition. The conditions
 * that read other tables sit inside a CASE on the campaign's coverage, so they run only for campaigns
 * that cover the purchase's partner: as plain ANDs the planner checked every cross-brand campaign's
 * window against the member's purchases before looking at its partners (with 50 campaigns, most of
 * the time spent finding them).
 */
export const campaignMatches = (conditions: typeof CAMPAIGN_CONDITIONS) => `${conditions.open}
      AND CASE WHEN ${conditions.covers}
          THEN ${conditions.welcome}
               AND ${conditions.crossBrand}
               AND ${conditions.tier}
          ELSE false END`;
export const CAMPAIGN_MATCHES = campaignMatches(CAMPAIGN_CONDITIONS);
export const CAMPAIGN_MATCHES_BEFORE_TIER_AT_PURCHASE = campaignMatches(CAMPAIGN_CONDITIONS_BEFORE_TIER_AT_PURCHASE);

/** Who pays for a campaign `c`'s bonuses: its partner's issuance account, or the coalition's. */
export const FUNDER_COLUMNS = `CASE WHEN c.funded_by_partner_id IS NULL THEN 'COALITION_ISSUANCE' ELSE 'PARTNER_ISSUANCE' END AS funder_kind,
           coalesce(c.funded_by_partner_id, '${COALITION_OWNER_ID}'::uuid) AS funder_id`;

/**
 * Where the awards statement finds each matched campaign's budget left (`locked`: a row per campaign,
 * `id` and `budget_left`, locked in CAMPAIGN_ORDER_SQL, the one global order) and adds the awards to
 * the campaign's totals (`added`, the statement's last step, over `posted`).
 */
export interface CampaignTotalsSql {
  locked: string;
  added: string;
}

/** The points awarded and the members rewarded for the first time, per campaign, in this call (over `posted p`). */
export const AWARDS_BY_CAMPAIGN = `SELECT p.campaign_id, sum(p.award) AS points, count(*) FILTER (WHERE p.member_points_before IS NULL) AS new_members FROM posted p GROUP BY 1`;

/**
 * The budgets and totals in `campaign_totals`, a row beside each campaign (CampaignTotals1734290000000).
 * Every purchase reads the `campaigns` rows to find its matches; with the totals on them, each group's
 * update left dead versions of the rows every purchase then walked, slower by the second until vacuum:
 * the awards statement went from 12.7 to 23 ms a group over 30 s of the bench's campaigns (bench/MEASUREMENTS.md).
 */
export const CAMPAIGN_TOTALS: CampaignTotalsSql = {
  locked: `SELECT t.campaign_id AS id, t.budget_points - t.points_awarded AS budget_left
    FROM campaign_totals t JOIN campaigns c ON c.id = t.campaign_id
    WHERE t.campaign_id IN (SELECT x.campaign_id FROM matched x) ORDER BY ${CAMPAIGN_ORDER_SQL("c")} FOR UPDATE OF t`,
  added: `UPDATE campaign_totals t SET points_awarded = t.points_awarded + s.points, members_rewarded = t.members_rewarded + s.new_members
  FROM (${AWARDS_BY_CAMPAIGN}) s
  WHERE t.campaign_id = s.campaign_id;`,
};

/**
 * CAMPAIGN_TOTALS, with a campaign ended early skipped under its budget row's lock (`campaign_totals.ended`,
 * which endCampaign sets with `campaigns.ended_at`, in one transaction; CampaignEndsUnderLock1734870000000).
 * A purchase reads its matches before it waits for a budget row: one waiting behind others (a busy
 * campaign) when `endCampaign` committed still awarded its bonus, recorded after the end (README: a
 * purchase recorded after that earns nothing). Under the lock Postgres reads the row endCampaign wrote
 * again, so the ended campaign drops out; and endCampaign waits for a purchase holding the row, which
 * is recorded before the end. No lock beyond the budget rows every award already takes.
 */
export const CAMPAIGN_TOTALS_ENDS_UNDER_LOCK: CampaignTotalsSql = {
  ...CAMPAIGN_TOTALS,
  locked: `SELECT t.campaign_id AS id, t.budget_points - t.points_awarded AS budget_left
    FROM campaign_totals t JOIN campaigns c ON c.id = t.campaign_id
    WHERE t.campaign_id IN (SELECT x.campaign_id FROM matched x) AND NOT t.ended ORDER BY ${CAMPAIGN_ORDER_SQL("c")} FOR UPDATE OF t`,
};

/** A window sum over the rows before this one in `order` within `partition` (0 for the first). */
const sumBefore = (value: string, partition: string, order: string) =>
  `coalesce(sum(${value}) OVER (PARTITION BY ${partition} ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)`;

/**
 * What changed in the awards since they were first written at once, as options, so that each earlier
 * definition (campaign-bonuses-earlier.ts) is still built as it was installed:
 * - `prepaidFunders`: a PREPAID funder's bonuses are cut to its allowance (`fundedFromAllowance` in the
 *   rules), so a purchase never fails because its bonus's funder ran out; before
 *   CampaignFundersAndReferrers1734310000000, such a bonus failed the whole group (LIMIT_EXCEEDED).
 * - `referrerEntryOwn`: a referrer's bonus is dated when it is posted and names neither the friend's
 *   partner nor receipt; before that migration it carried the friend's purchase's.
 * - `referralGuards`: a referral pays on the referred member's first purchase that earns points (a
 *   zero-point purchase, a cent, leaves it waiting), and never to an erased referrer; before
 *   ReferralGuards1734320000000 any first purchase paid both, an erased referrer included.
 * - `issuePriceInPlace`: each bonus lot's issue price is read in place (sql/clearing.ts
 *   `issuePriceAtSql`); before IssuePriceInPlace1734700000000, by a call of `clearing_issue_price` per
 *   lot, which Postgres planned anew on every call (the same price; 5–11% more purchases a second
 *   with the bench's campaigns, straight on record_purchases).
 * - `debtMakesNoRoom`: the points cap check of a purchase's bonuses counts a member's balance below
 *   zero as zero (rules/campaigns.ts `bonusesFitUnderCap`); before CampaignAwardGuards1734800000000 a
 *   debt made room, so a bonus past the largest storable number passed the check and then failed the
 *   whole group of purchases ("integer out of range").
 * - `referrerDatesOwn`: a referrer's bonus lot is pending and expires as long after it is posted as
 *   the friend's purchase's are after it was made; before that migration it took the friend's dates,
 *   which told the referrer (in their data export) when the friend had bought.
 * - `heldWithinCap`: the cap checks of bonuses and of referral bonuses count what the member holds, the
 *   balance plus what they owe (rules/cap.ts `heldPointsWouldPassCap`); before PendingWithinCap1734860000000
 *   a debt counted as zero balance (bonuses) or made room (referrals), and bonuses, pending like their
 *   purchase, could take `pending` past what Int holds by the debt.
 * - `referrerDebtInTimeOrder`: under the referrer's lock, the referrer's debt is first repaid by the points
 *   that became spendable since their last write (sql/repay-debt.ts), so the bonus repays only what is
 *   left; before DebtsInTimeOrderAtPurchases1734850000000 the bonus repaid it first, and a lot of theirs
 *   past expiry by then (that had been spendable while they owed) was expired in full by the run.
 * - `referrerExpiryInMonths`: a referrer's bonus lot expires POINTS_EXPIRY_MONTHS calendar months after it
 *   is posted (rules/expiry.ts `expiresAt` of its earned_at, as every lot); before
 *   ReferrerBonusExpiryInMonths1734950000000, as many seconds after as the friend's purchase's points
 *   lived, a day off 24 calendar months when only one of the two spans held a 29 February.
 */
export interface AwardsShape {
  prepaidFunders: boolean;
  referrerEntryOwn: boolean;
  referralGuards: boolean;
  issuePriceInPlace: boolean;
  debtMakesNoRoom: boolean;
  referrerDatesOwn: boolean;
  referrerDebtInTimeOrder: boolean;
  heldWithinCap: boolean;
  referrerExpiryInMonths: boolean;
}
export const CURRENT_AWARDS: AwardsShape = {
  prepaidFunders: true, referrerEntryOwn: true, referralGuards: true, issuePriceInPlace: true, debtMakesNoRoom: true, referrerDatesOwn: true, referrerDebtInTimeOrder: true,
  heldWithinCap: true, referrerExpiryInMonths: true,
};
export const AWARDS_BEFORE_REFERRER_EXPIRY_IN_MONTHS: AwardsShape = { ...CURRENT_AWARDS, referrerExpiryInMonths: false };
export const AWARDS_BEFORE_PENDING_WITHIN_CAP: AwardsShape = { ...AWARDS_BEFORE_REFERRER_EXPIRY_IN_MONTHS, heldWithinCap: false };
export const AWARDS_BEFORE_DEBTS_IN_TIME_ORDER: AwardsShape = { ...AWARDS_BEFORE_PENDING_WITHIN_CAP, referrerDebtInTimeOrder: false };
export const AWARDS_BEFORE_AWARD_GUARDS: AwardsShape = { ...AWARDS_BEFORE_DEBTS_IN_TIME_ORDER, debtMakesNoRoom: false, referrerDatesOwn: false };
export const AWARDS_BEFORE_ISSUE_PRICE_IN_PLACE: AwardsShape = { ...AWARDS_BEFORE_AWARD_GUARDS, issuePriceInPlace: false };
export const AWARDS_BEFORE_REFERRAL_GUARDS: AwardsShape = { ...AWARDS_BEFORE_ISSUE_PRICE_IN_PLACE, referralGuards: false };
export const AWARDS_BEFORE_PREPAID_FUNDERS: AwardsShape = {
  prepaidFunders: false,
  referrerEntryOwn: false,
  referralGuards: false,
  issuePriceInPlace: false,
  debtMakesNoRoom: false,
  referrerDatesOwn: false,
  referrerDebtInTimeOrder: false,
  heldWithinCap: false,
  referrerExpiryInMonths: false,
};

/**
 * The PREPAID funders among a group's matches and their allowances left (after the group's own
 * purchases drew on them), locked (in partner order) like the budgets, and each matched bonus's
 * `allowance_left` (null: a postpaid funder, the coalition, no limit). Only with `prepaidFunders`.
 */
const PREPAID_FUNDERS = `
  ), prepaid_funders AS (
    SELECT f.id FROM (SELECT DISTINCT x.funder_id AS id FROM matched x WHERE x.funder_kind = 'PARTNER_ISSUANCE') f
    WHERE ${isPrepaidAtSql("f.id", "p_now")}
  ), allowances AS (
    SELECT pa.partner_id, pa.remaining FROM prepaid_allowances pa
    WHERE pa.partner_id IN (SELECT pf.id FROM prepaid_funders pf) ORDER BY pa.partner_id FOR UPDATE`;

/** A purchase's bonuses against the points cap, as each shape checked it (rules/campaigns.ts `bonusesFitUnderCap`, the current rule). */
const capCheck = (shape: AwardsShape) =>
  shape.heldWithinCap
    ? bonusesFitUnderCapSql("w.balance", "w.debt", "w.cut_bonuses_of_purchase", "p_points_cap")
    : shape.debtMakesNoRoom
      ? "(greatest(w.balance, 0) + w.cut_bonuses_of_purchase <= p_points_cap)"
      : "(w.balance + w.cut_bonuses_of_purchase <= p_points_cap)";

/**
 * Every campaign award of the call's purchases in one statement (one purchase per member per call, as
 * the purchase writer groups them): the matches, their campaigns' rows locked in the one global order
 * (CAMPAIGN_ORDER_SQL: two concurrent calls never wait on each other in a cycle) with their budgets
 * as they are after the lock, each bonus cut to the member's cap (read under the member's lock, held
 * since record_purchases began), a purchase's bonuses kept only if together they fit under the points
 * cap, the budgets spent in purchase order (awardInOrderSql), debts repaid from the awards in campaign
 * order; then the transactions, postings, lots and totals, one insert each, so the clearing house's
 * statement trigger runs once for the whole group. `matches`: the join condition (CAMPAIGN_MATCHES);
 * `totals`: where the budgets are read and locked and the awards added (CAMPAIGN_TOTALS); `shape`:
 * with `prepaidFunders`, the awards within budget are then spent from PREPAID funders' allowances in
 * purchase and campaign order (`fundedFromAllowance`).
 */
const campaignAwards = (matches: string, totals: CampaignTotalsSql, shape: AwardsShape) => `
  WITH made AS (${MADE}
  ), matched AS (
    SELECT m.*, c.id AS campaign_id, row_number() OVER (PARTITION BY m.tx ORDER BY ${CAMPAIGN_ORDER_SQL("c")}) AS campaign_rank, ${FUNDER_COLUMNS},
           cm.points AS member_points_before,
           ${awardForSql(campaignBonusSql("c.bonus_points", "c.bonus_percent", "m.base_points"), "NULL", "c.max_bonus_per_member - coalesce(cm.points, 0)")} AS cut_bonus
    FROM made m JOIN campaigns c ON ${matches}
    LEFT JOIN campaign_member_points cm ON cm.campaign_id = c.id AND cm.member_id = m.member_id
  ), locked AS (
    ${totals.locked}
  ), with_account AS (
    SELECT x.*, a.id AS account, a.balance, a.debt, sum(x.cut_bonus) OVER (PARTITION BY x.tx) AS cut_bonuses_of_purchase
    FROM matched x JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = x.member_id
  ), awarded AS (
    SELECT w.*, ${awardInOrderSql("w.cut_bonus", "l.budget_left", sumBefore("w.cut_bonus", "w.campaign_id", "w.ord"))} AS ${shape.prepaidFunders ? "award_in_budget" : "award"}
    FROM with_account w JOIN locked l ON l.id = w.campaign_id
    WHERE ${capCheck(shape)}${shape.prepaidFunders ? `${PREPAID_FUNDERS}
  ), funded AS (
    SELECT w.*, ${awardInOrderSql("w.award_in_budget", "w.allowance_left", sumBefore("w.award_in_budget", "w.funder_id", "w.ord, w.campaign_rank"))} AS award
    FROM (SELECT a.*, CASE WHEN pf.id IS NOT NULL THEN coalesce(al.remaining, 0) END AS allowance_left
          FROM awarded a LEFT JOIN prepaid_funders pf ON pf.id = a.funder_id AND a.funder_kind = 'PARTNER_ISSUANCE'
          LEFT JOIN allowances al ON al.partner_id = pf.id) w` : ""}
  ), awards AS (
    SELECT w.*, CASE WHEN w.available_at <= p_now
                     THEN ${repaidFromSliceSql("w.debt", sumBefore("w.award", "w.tx", "w.campaign_rank"), "w.award")}
                     ELSE 0 END AS repaid
    FROM ${shape.prepaidFunders ? "funded" : "awarded"} w WHERE w.award > 0
  ), tx AS (
    -- posted_at: the clearing house's period is the posting's (p_now), not a late purchase's time.
    INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at, posted_at)
    SELECT 'BONUS', 'bonus:' || w.campaign_id || ':' || w.tx, 'bonus', w.partner_id, w.reference, w.earned_at, p_now FROM awards w
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING transactions.id, transactions.idempotency_key
  ), posted AS (
    SELECT w.*, tx.id AS bonus_tx FROM awards w JOIN tx ON tx.idempotency_key = 'bonus:' || w.campaign_id || ':' || w.tx
  ), member_balances AS (
    UPDATE accounts a SET balance = a.balance + s.points, debt = a.debt - s.repaid
    FROM (SELECT p.account, sum(p.award) AS points, sum(p.repaid) AS repaid FROM posted p GROUP BY 1) s WHERE a.id = s.account
  ), funders AS (
    INSERT INTO accounts AS a (kind, owner_id, balance)
    SELECT p.funder_kind, p.funder_id, -sum(p.award) FROM posted p GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (kind, owner_id) DO UPDATE SET balance = a.balance + EXCLUDED.balance RETURNING a.id, a.kind, a.owner_id
  ), posting_rows AS (
    -- Purchase by purchase, each one's bonuses in campaign order: their seq is the order LedgerEntry.bonuses lists them in.
    INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
    SELECT x.bonus_tx, x.account_id, x.amount, x.earned_at, x.member_id, x.entry_kind FROM (
      SELECT p.bonus_tx, f.id AS account_id, -p.award AS amount, p.earned_at, NULL::uuid AS member_id, NULL::text AS entry_kind, p.ord, p.campaign_rank, 0 AS leg
      FROM posted p JOIN funders f ON f.kind = p.funder_kind AND f.owner_id = p.funder_id
      UNION ALL
      SELECT p.bonus_tx, p.account, p.award, p.earned_at, p.member_id, 'BONUS', p.ord, p.campaign_rank, 1 FROM posted p
    ) x ORDER BY x.ord, x.campaign_rank, x.leg
  ), lot_rows AS (
    -- Issued by the funder (the coalition's lots carry its nil owner id), pending and expiring like the purchase.
    INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at, issue_price_per_1000)
    SELECT p.bonus_tx, p.member_id, p.funder_id, 'BONUS', p.award, p.award - p.repaid, p.earned_at, p.available_at, p.expires_at,
           ${shape.issuePriceInPlace ? issuePriceAtSql("p.funder_id", "p_now") : "clearing_issue_price(p.funder_id, p_now)"} FROM posted p
  ), bonus_rows AS (
    INSERT INTO campaign_bonuses (transaction_id, campaign_id, earn_transaction_id, member_id, funder_kind, funder_id, points)
    SELECT p.bonus_tx, p.campaign_id, p.tx, p.member_id, p.funder_kind, p.funder_id, p.award FROM posted p
  ), member_totals AS (
    INSERT INTO campaign_member_points AS cm (campaign_id, member_id, points)
    SELECT p.campaign_id, p.member_id, p.award FROM posted p ORDER BY 1, 2
    ON CONFLICT (campaign_id, member_id) DO UPDATE SET points = cm.points + EXCLUDED.points
  )
  ${totals.added}
`;

/** The referrals as every definition before CampaignFundersAndReferrers1734310000000 wrote them. */
export const REFERRAL_BONUSES_BEFORE_OWN_ENTRY = referralBonuses(AWARDS_BEFORE_PREPAID_FUNDERS);

/** What `record_purchases` calls (APPLY_CAMPAIGN_BONUSES_CALL): the same in every definition of it. */
export const APPLY_CAMPAIGN_BONUSES_SIGNATURE: Omit<FunctionDefinition, "body"> = {
  name: "apply_campaign_bonuses",
  arguments:
    "p_keys text[], p_expires_at timestamp with time zone[], p_tier_from timestamp with time zone[], p_tier_thresholds bigint[], " +
    "p_now timestamp with time zone, p_points_cap bigint",
  returns: "void",
  language: "plpgsql",
};

/** `apply_campaign_bonuses` with the given match condition, totals and shape: every award of the call in one statement, then the referrals. */
export const applyCampaignBonuses = (matches: string, totals: CampaignTotalsSql, shape: AwardsShape): FunctionDefinition => ({
  ...APPLY_CAMPAIGN_BONUSES_SIGNATURE,
  body: `
DECLARE
  r record;
  v_balance bigint;${shape.heldWithinCap ? `
  v_debt bigint;` : ""}
  v_tx uuid;
  v_rewarded bigint;
BEGIN
  -- Campaigns: every award of this call at once (rules/campaigns.ts says how each is cut and in which order).${campaignAwards(matches, totals, shape)}
${referralBonuses(shape)}END `,
});

/**
 * Every lookup the awards make is by key, for one group of purchases (at most PURCHASE_GROUP_MAX): an
 * index is always the right way in. Left to the statistics, a plan cached by a ledger connection while
 * the campaign tables were empty (as analysed then: a seed, or an operator's VACUUM ANALYZE) scanned
 * `campaign_member_points` whole for every bonus, and `campaigns` for every campaign row, until
 * autovacuum analysed them again. Measured end to end with the bench's data and 50 campaigns, two
 * 10 s windows in a row: the awards statement took 14 then 25 ms a group of 8 as that table filled,
 * purchases ran at 265 then 219 a second (plain: 475 before, 523 after); planned by key, 363 then 362
 * (plain: 569, 616). CampaignBonusesPlannedByKey1734300000000 installs it.
 */
export const PLANNED_BY_KEY = ["enable_seqscan=off"] as const;

export const APPLY_CAMPAIGN_BONUSES: FunctionDefinition = { ...applyCampaignBonuses(CAMPAIGN_MATCHES, CAMPAIGN_TOTALS_ENDS_UNDER_LOCK, CURRENT_AWARDS), settings: PLANNED_BY_KEY };
