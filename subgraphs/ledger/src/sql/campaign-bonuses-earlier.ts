import { CAMPAIGN_ORDER_SQL, awardForSql, campaignBonusSql } from "../rules";
import {
  APPLY_CAMPAIGN_BONUSES_SIGNATURE,
  AWARDS_BEFORE_AWARD_GUARDS,
  AWARDS_BEFORE_DEBTS_IN_TIME_ORDER,
  AWARDS_BEFORE_PENDING_WITHIN_CAP,
  AWARDS_BEFORE_ISSUE_PRICE_IN_PLACE,
  AWARDS_BEFORE_PREPAID_FUNDERS,
  AWARDS_BEFORE_REFERRAL_GUARDS,
  AWARDS_BEFORE_REFERRER_EXPIRY_IN_MONTHS,
  AWARDS_BY_CAMPAIGN,
  CAMPAIGN_CONDITIONS_BEFORE_TIER_AT_PURCHASE as CAMPAIGN_CONDITIONS,
  CAMPAIGN_MATCHES as CURRENT_CAMPAIGN_MATCHES,
  CAMPAIGN_MATCHES_BEFORE_TIER_AT_PURCHASE as CAMPAIGN_MATCHES_NOW,
  CAMPAIGN_TOTALS,
  CAMPAIGN_TOTALS_ENDS_UNDER_LOCK,
  type CampaignTotalsSql,
  FUNDER_COLUMNS,
  PLANNED_BY_KEY,
  REFERRAL_BONUSES_BEFORE_OWN_ENTRY,
  applyCampaignBonuses,
  campaignMatches,
  crossBrandSql,
} from "./campaign-bonuses";
import type { FunctionDefinition } from "./function-definition";
import { MADE } from "./made-purchases";

/**
 * Earlier definitions of `apply_campaign_bonuses`, each kept for the migration that installed it and
 * the revert of the one that replaced it. Built from the same rules as the current one (rules/campaigns.ts).
 */

/**
 * The conditions before CrossBrandEarned1734340000000: the cross-brand condition took any earlier
 * purchase at the other partner, a zero-point one (a one-cent receipt) included.
 */
const CAMPAIGN_CONDITIONS_ANY_PRIOR_PURCHASE: typeof CAMPAIGN_CONDITIONS = { ...CAMPAIGN_CONDITIONS, crossBrand: crossBrandSql(null) };
/** CAMPAIGN_MATCHES as every migration before CrossBrandEarned1734340000000 installed it. */
const CAMPAIGN_MATCHES = campaignMatches(CAMPAIGN_CONDITIONS_ANY_PRIOR_PURCHASE);

/**
 * The match condition as Campaigns1734100000000 and CampaignBonusesAtOnce1734260000000 installed it:
 * the same matches as CAMPAIGN_MATCHES, its conditions as plain ANDs, which let the planner check every
 * cross-brand campaign against the member's purchases before its partners
 * (CampaignMatchesCoveredFirst1734270000000 replaced it).
 */
export const CAMPAIGN_MATCHES_AS_ANDS = `${CAMPAIGN_CONDITIONS_ANY_PRIOR_PURCHASE.open}
      AND ${CAMPAIGN_CONDITIONS_ANY_PRIOR_PURCHASE.covers}
      AND ${CAMPAIGN_CONDITIONS_ANY_PRIOR_PURCHASE.welcome}
      AND ${CAMPAIGN_CONDITIONS_ANY_PRIOR_PURCHASE.crossBrand}
      AND ${CAMPAIGN_CONDITIONS_ANY_PRIOR_PURCHASE.tier}`;

/**
 * The budgets and totals on the `campaigns` rows themselves, as Campaigns1734100000000 made them and
 * the awards statement used them until CampaignTotals1734290000000 moved them to `campaign_totals`.
 */
export const CAMPAIGN_TOTALS_ON_CAMPAIGN_ROWS: CampaignTotalsSql = {
  locked: `SELECT c.id, c.budget_points - c.points_awarded AS budget_left FROM campaigns c
    WHERE c.id IN (SELECT x.campaign_id FROM matched x) ORDER BY ${CAMPAIGN_ORDER_SQL("c")} FOR UPDATE`,
  added: `UPDATE campaigns c SET points_awarded = c.points_awarded + s.points, members_rewarded = c.members_rewarded + s.new_members
  FROM (${AWARDS_BY_CAMPAIGN}) s
  WHERE c.id = s.campaign_id;`,
};

/** As CampaignBonusesAtOnce1734260000000 installed it: every award in one statement, matched with plain ANDs. */
export const APPLY_CAMPAIGN_BONUSES_MATCHED_AS_ANDS: FunctionDefinition = applyCampaignBonuses(CAMPAIGN_MATCHES_AS_ANDS, CAMPAIGN_TOTALS_ON_CAMPAIGN_ROWS, AWARDS_BEFORE_PREPAID_FUNDERS);

/**
 * As CampaignTotals1734290000000 installed it: the current statement, planned as the statistics say
 * (CampaignBonusesPlannedByKey1734300000000 added PLANNED_BY_KEY).
 */
export const APPLY_CAMPAIGN_BONUSES_ANY_SCAN: FunctionDefinition = applyCampaignBonuses(CAMPAIGN_MATCHES, CAMPAIGN_TOTALS, AWARDS_BEFORE_PREPAID_FUNDERS);

/**
 * As CampaignBonusesPlannedByKey1734300000000 installed it: planned by key, before
 * CampaignFundersAndReferrers1734310000000 (a PREPAID funder's spent allowance failed the purchase; a
 * referrer's entry carried the friend's purchase's partner, receipt and time).
 */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_PREPAID_FUNDERS: FunctionDefinition = { ...APPLY_CAMPAIGN_BONUSES_ANY_SCAN, settings: PLANNED_BY_KEY };

/**
 * As CampaignFundersAndReferrers1734310000000 installed it: before ReferralGuards1734320000000 (a
 * zero-point first purchase paid the referral; an erased referrer was paid).
 */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRAL_GUARDS: FunctionDefinition = {
  ...applyCampaignBonuses(CAMPAIGN_MATCHES, CAMPAIGN_TOTALS, AWARDS_BEFORE_REFERRAL_GUARDS),
  settings: PLANNED_BY_KEY,
};

/**
 * As ReferralGuards1734320000000 installed it: before CrossBrandEarned1734340000000 (a zero-point
 * purchase at the other partner opened a cross-brand campaign).
 */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_CROSS_BRAND_EARNED: FunctionDefinition = {
  ...applyCampaignBonuses(CAMPAIGN_MATCHES, CAMPAIGN_TOTALS, AWARDS_BEFORE_ISSUE_PRICE_IN_PLACE),
  settings: PLANNED_BY_KEY,
};

/**
 * As CrossBrandEarned1734340000000 installed it: before IssuePriceInPlace1734700000000 (each bonus
 * lot priced by a call of `clearing_issue_price`).
 */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_ISSUE_PRICE_IN_PLACE: FunctionDefinition = {
  ...applyCampaignBonuses(CAMPAIGN_MATCHES_NOW, CAMPAIGN_TOTALS, AWARDS_BEFORE_ISSUE_PRICE_IN_PLACE),
  settings: PLANNED_BY_KEY,
};

/**
 * As IssuePriceInPlace1734700000000 installed it: before CampaignAwardGuards1734800000000 (a late
 * purchase's `minimumTier` read over a window from 12 months before it to now; a member's debt made
 * room under the points cap; a referrer's bonus lot took the friend's purchase's dates).
 */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_AWARD_GUARDS: FunctionDefinition = {
  ...applyCampaignBonuses(CAMPAIGN_MATCHES_NOW, CAMPAIGN_TOTALS, AWARDS_BEFORE_AWARD_GUARDS),
  settings: PLANNED_BY_KEY,
};

/**
 * As CampaignEndsUnderLock1734870000000 installed it: before ReferrerBonusExpiryInMonths1734950000000 (a
 * referrer's bonus lot expired as many seconds after it was posted as the friend's points lived).
 */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_REFERRER_EXPIRY_IN_MONTHS: FunctionDefinition = {
  ...applyCampaignBonuses(CURRENT_CAMPAIGN_MATCHES, CAMPAIGN_TOTALS_ENDS_UNDER_LOCK, AWARDS_BEFORE_REFERRER_EXPIRY_IN_MONTHS),
  settings: PLANNED_BY_KEY,
};

/** As PendingWithinCap1734860000000 installed it: before CampaignEndsUnderLock1734870000000 (a purchase waiting for a budget row awarded a campaign ended meanwhile). */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_ENDS_UNDER_LOCK: FunctionDefinition = {
  ...applyCampaignBonuses(CURRENT_CAMPAIGN_MATCHES, CAMPAIGN_TOTALS, AWARDS_BEFORE_REFERRER_EXPIRY_IN_MONTHS),
  settings: PLANNED_BY_KEY,
};

/** As DebtsInTimeOrderAtPurchases1734850000000 installed it: before PendingWithinCap1734860000000 (a debt counted as no balance, not as points held: bonuses could take `pending` past the cap). */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_PENDING_WITHIN_CAP: FunctionDefinition = {
  ...applyCampaignBonuses(CURRENT_CAMPAIGN_MATCHES, CAMPAIGN_TOTALS, AWARDS_BEFORE_PENDING_WITHIN_CAP),
  settings: PLANNED_BY_KEY,
};

/** As CampaignAwardGuards1734800000000 installed it: before DebtsInTimeOrderAtPurchases1734850000000 (a referrer's bonus repaid their debt as last booked). */
export const APPLY_CAMPAIGN_BONUSES_BEFORE_DEBTS_IN_TIME_ORDER: FunctionDefinition = {
  ...applyCampaignBonuses(CURRENT_CAMPAIGN_MATCHES, CAMPAIGN_TOTALS, AWARDS_BEFORE_DEBTS_IN_TIME_ORDER),
  settings: PLANNED_BY_KEY,
};

/** As CampaignMatchesCoveredFirst1734270000000 installed it: matched as now, the totals on the campaigns rows (CampaignTotals1734290000000 replaced it). */
export const APPLY_CAMPAIGN_BONUSES_TOTALS_ON_CAMPAIGNS: FunctionDefinition = applyCampaignBonuses(CAMPAIGN_MATCHES, CAMPAIGN_TOTALS_ON_CAMPAIGN_ROWS, AWARDS_BEFORE_PREPAID_FUNDERS);

/**
 * `apply_campaign_bonuses` as Campaigns1734100000000 installed it: one loop turn, and one `post_bonus`
 * call, per award. CampaignBonusesAtOnce1734260000000 replaced it with ./campaign-bonuses.ts's one
 * statement for a whole group (the same awards, except that a purchase's bonuses now fit under the
 * points cap all together or not at all); kept for that migration's revert and the older migration.
 */
export const APPLY_CAMPAIGN_BONUSES_ONE_BY_ONE: FunctionDefinition = {
  ...APPLY_CAMPAIGN_BONUSES_SIGNATURE,
  body: `
DECLARE
  r record;
  v_budget bigint;
  v_awarded bigint;
  v_member_points bigint;
  v_award bigint;
  v_balance bigint;
  v_tx uuid;
  v_rewarded bigint;
BEGIN
  -- Campaigns: each matching one at most once per purchase, in the documented order (rules/campaigns.ts).
  FOR r IN
    WITH made AS (${MADE}
    )
    SELECT m.*, c.id AS campaign_id, c.max_bonus_per_member, ${campaignBonusSql("c.bonus_points", "c.bonus_percent", "m.base_points")} AS bonus, ${FUNDER_COLUMNS}
    FROM made m JOIN campaigns c ON ${CAMPAIGN_MATCHES_AS_ANDS}
    -- Campaign by campaign in the documented order (so each purchase meets its campaigns in that order), and every
    -- call takes the campaigns' row locks in that one global order: two concurrent calls never wait on each other in a cycle.
    ORDER BY ${CAMPAIGN_ORDER_SQL("c")}, m.ord
  LOOP
    -- The campaign's row is the lock every award of its budget waits on; the member is locked already.
    SELECT c.budget_points, c.points_awarded INTO v_budget, v_awarded FROM campaigns c WHERE c.id = r.campaign_id FOR UPDATE;
    SELECT cm.points INTO v_member_points FROM campaign_member_points cm WHERE cm.campaign_id = r.campaign_id AND cm.member_id = r.member_id;
    v_award := ${awardForSql("r.bonus", "v_budget - v_awarded", "r.max_bonus_per_member - coalesce(v_member_points, 0)")};
    CONTINUE WHEN v_award <= 0;
    SELECT a.balance INTO v_balance FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.member_id;
    CONTINUE WHEN v_balance + v_award > p_points_cap;
    v_tx := post_bonus('bonus:' || r.campaign_id || ':' || r.tx, r.member_id, r.funder_kind, r.funder_id, v_award, r.partner_id, r.reference,
                       r.earned_at, r.available_at, r.expires_at, p_now);
    CONTINUE WHEN v_tx IS NULL;
    INSERT INTO campaign_bonuses (transaction_id, campaign_id, earn_transaction_id, member_id, funder_kind, funder_id, points)
    VALUES (v_tx, r.campaign_id, r.tx, r.member_id, r.funder_kind, r.funder_id, v_award);
    INSERT INTO campaign_member_points AS cm (campaign_id, member_id, points) VALUES (r.campaign_id, r.member_id, v_award)
    ON CONFLICT (campaign_id, member_id) DO UPDATE SET points = cm.points + EXCLUDED.points;
    UPDATE campaigns c SET points_awarded = c.points_awarded + v_award,
                           members_rewarded = c.members_rewarded + CASE WHEN v_member_points IS NULL THEN 1 ELSE 0 END
    WHERE c.id = r.campaign_id;
  END LOOP;

${REFERRAL_BONUSES_BEFORE_OWN_ENTRY}END `,
};

