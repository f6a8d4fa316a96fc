import { COALITION_OWNER_ID } from "../journal/journal";
import {
  CAMPAIGN_ORDER_SQL,
  TIER_THRESHOLDS,
  awardForSql,
  campaignBonusSql,
  coversPurchaseAtSql,
  inCampaignWindowSql,
  withinAfterWindowSql,
} from "../rules";
import { qualifyingNowSql } from "./qualifying";
import type { FunctionDefinition } from "./record-purchases";

/**
 * The campaign and referral bonuses of purchases, in the same database transaction as the purchases
 * (README, "Campaigns and referrals"). `record_purchases` calls `apply_campaign_bonuses` as its last
 * statement; the rules come from ../rules/campaigns.ts as generated text, the limits as arguments.
 */

/** The statement `record_purchases` ends with: its one link to campaigns. */
export const APPLY_CAMPAIGN_BONUSES_CALL = `  PERFORM apply_campaign_bonuses(p_keys, p_expires_at, p_tier_from, p_tier_thresholds, p_now, p_points_cap);\n`;

/**
 * The purchases this call created: their keys, EARN transactions written in this database transaction
 * (`recorded_at` is the transaction's start), so a replayed key never brings a second bonus.
 */
const MADE = `
    SELECT k.ord, t.id AS tx, t.reference, pu.member_id, pu.partner_id, pu.amount_minor, pu.points, pu.base_points, pu.earned_at,
           pu.available_at, k.expires_at, k.tier_from, pc.category
    FROM unnest(p_keys, p_expires_at, p_tier_from) WITH ORDINALITY AS k(key, expires_at, tier_from, ord)
    JOIN transactions t ON t.idempotency_key = k.key AND t.kind = 'EARN' AND t.recorded_at = now()
    JOIN purchases pu ON pu.transaction_id = t.id
    LEFT JOIN campaign_partner_categories pc ON pc.partner_id = pu.partner_id`;

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
/** The member's tier rank (1 = the lowest) before this purchase: qualifying points now, less the purchase's own if they already count. */
const tierRankBefore = `(SELECT count(*) FROM unnest(p_tier_thresholds) th WHERE th <= ${qualifyingNowSql("m.member_id", "p_now", "m.tier_from")}
             - CASE WHEN m.available_at <= p_now AND m.earned_at > m.tier_from THEN m.base_points ELSE 0 END)`;

export const APPLY_CAMPAIGN_BONUSES: FunctionDefinition = {
  name: "apply_campaign_bonuses",
  arguments:
    "p_keys text[], p_expires_at timestamp with time zone[], p_tier_from timestamp with time zone[], p_tier_thresholds bigint[], " +
    "p_now timestamp with time zone, p_points_cap bigint",
  returns: "void",
  language: "plpgsql",
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
    SELECT m.*, c.id AS campaign_id, c.max_bonus_per_member, ${campaignBonusSql("c.bonus_points", "c.bonus_percent", "m.base_points")} AS bonus,
           CASE WHEN c.funded_by_partner_id IS NULL THEN 'COALITION_ISSUANCE' ELSE 'PARTNER_ISSUANCE' END AS funder_kind,
           coalesce(c.funded_by_partner_id, '${COALITION_OWNER_ID}'::uuid) AS funder_id
    FROM made m JOIN campaigns c ON c.ended_at IS NULL AND c.ends_at > m.earned_at
      AND ${inCampaignWindowSql("c.starts_at", "c.ends_at", "m.earned_at")}
      AND m.amount_minor >= c.min_amount_minor
      AND ${coversPurchaseAtSql("c.partner_ids", "c.categories", "m.partner_id", "m.category")}
      AND (NOT c.first_purchase_at_partner OR ${firstPurchaseAtPartnerSql("m.member_id", "m.partner_id", "m.tx", "m.points")})
      AND (c.after_partner_id IS NULL
           OR EXISTS (SELECT FROM purchases o WHERE o.member_id = m.member_id AND o.partner_id = c.after_partner_id
                      AND ${withinAfterWindowSql("o.earned_at", "m.earned_at", "c.after_within_days")}))
      AND (c.minimum_tier IS NULL OR ${tierRankBefore} >= array_position(${tierNames}, c.minimum_tier))
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

  -- Referrals: the referred member's first purchase rewards both members once, the referrer at most referrer_max times.
  FOR r IN
    WITH made AS (${MADE}
    )
    SELECT m.*, rf.referrer_member_id, rf.bonus_points, rf.referrer_max
    FROM made m JOIN referrals rf ON rf.referred_member_id = m.member_id AND rf.earn_transaction_id IS NULL
    ORDER BY m.ord
  LOOP
    UPDATE referrals SET earn_transaction_id = r.tx WHERE referred_member_id = r.member_id;
    SELECT a.balance INTO v_balance FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.member_id;
    IF v_balance + r.bonus_points <= p_points_cap THEN
      v_tx := post_bonus('referral:' || r.member_id || ':referred', r.member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid, r.bonus_points,
                         r.partner_id, r.reference, r.earned_at, r.available_at, r.expires_at, p_now);
      INSERT INTO campaign_bonuses (transaction_id, campaign_id, earn_transaction_id, member_id, funder_kind, funder_id, points)
      SELECT v_tx, NULL, r.tx, r.member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid, r.bonus_points WHERE v_tx IS NOT NULL;
    END IF;
    -- The referrer's lock (after the purchasing members' own) counts their rewarded referrals exactly.
    INSERT INTO accounts (kind, owner_id) VALUES ('MEMBER', r.referrer_member_id) ON CONFLICT DO NOTHING;
    SELECT a.balance INTO v_balance FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.referrer_member_id FOR UPDATE;
    SELECT count(*) INTO v_rewarded FROM referrals rf WHERE rf.referrer_member_id = r.referrer_member_id AND rf.referrer_rewarded;
    CONTINUE WHEN v_rewarded >= r.referrer_max OR v_balance + r.bonus_points > p_points_cap;
    v_tx := post_bonus('referral:' || r.member_id || ':referrer', r.referrer_member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid,
                       r.bonus_points, r.partner_id, r.reference, r.earned_at, r.available_at, r.expires_at, p_now);
    CONTINUE WHEN v_tx IS NULL;
    UPDATE referrals SET referrer_rewarded = true WHERE referred_member_id = r.member_id;
    INSERT INTO campaign_bonuses (transaction_id, campaign_id, earn_transaction_id, member_id, funder_kind, funder_id, points)
    VALUES (v_tx, NULL, r.tx, r.referrer_member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid, r.bonus_points);
  END LOOP;
END `,
};

/**
 * One bonus: a BONUS transaction (+points to the member, entry BONUS; −points to the funder's
 * issuance account), and a BONUS lot pending and expiring like the purchase it came with, issued by
 * the funder (the coalition's lots carry its nil owner id). Like purchase points, points that are
 * spendable at once repay the member's debt first (rules/debt.ts). Null when the key was used already.
 * The caller holds the member's lock.
 */
export const POST_BONUS: FunctionDefinition = {
  name: "post_bonus",
  arguments:
    "p_key text, p_member uuid, p_funder_kind text, p_funder uuid, p_points bigint, p_partner uuid, p_reference text, " +
    "p_earned_at timestamp with time zone, p_available_at timestamp with time zone, p_expires_at timestamp with time zone, p_now timestamp with time zone",
  returns: "uuid",
  language: "plpgsql",
  body: `
DECLARE
  v_tx uuid;
  v_account bigint;
  v_debt bigint;
  v_repaid bigint;
  v_funder_account bigint;
BEGIN
  -- posted_at: the clearing house's period is the posting's (p_now), not a late purchase's time.
  INSERT INTO transactions (kind, idempotency_key, fingerprint, partner_id, reference, occurred_at, posted_at)
  VALUES ('BONUS', p_key, 'bonus', p_partner, p_reference, p_earned_at, p_now)
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id INTO v_tx;
  IF v_tx IS NULL THEN RETURN NULL; END IF;
  SELECT a.id, a.debt INTO v_account, v_debt FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = p_member FOR UPDATE;
  v_repaid := CASE WHEN p_available_at <= p_now THEN least(v_debt, p_points) ELSE 0 END;
  UPDATE accounts SET balance = balance + p_points, debt = debt - v_repaid WHERE id = v_account;
  INSERT INTO accounts AS a (kind, owner_id, balance) VALUES (p_funder_kind, p_funder, -p_points)
  ON CONFLICT (kind, owner_id) DO UPDATE SET balance = a.balance + EXCLUDED.balance RETURNING a.id INTO v_funder_account;
  INSERT INTO postings (transaction_id, account_id, amount, occurred_at) VALUES (v_tx, v_funder_account, -p_points, p_earned_at);
  INSERT INTO postings (transaction_id, account_id, amount, occurred_at, member_id, entry_kind)
  VALUES (v_tx, v_account, p_points, p_earned_at, p_member, 'BONUS');
  INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at)
  VALUES (v_tx, p_member, p_funder, 'BONUS', p_points, p_points - v_repaid, p_earned_at, p_available_at, p_expires_at);
  RETURN v_tx;
END `,
};
