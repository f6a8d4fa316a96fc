import { COALITION_OWNER_ID } from "../journal/journal";
import type { AwardsShape } from "./campaign-bonuses";
import type { FunctionDefinition } from "./function-definition";
import { MADE } from "./made-purchases";
import { expiresAtSql, expiryMonthsOfSql, heldPointsFitUnderCapSql, repaidOnArrivalSql } from "../rules";

/**
 * Referral bonuses, the loop `apply_campaign_bonuses` ends with (sql/campaign-bonuses.ts), and
 * `post_bonus`, which writes one bonus (a referral's, or a campaign's in the definitions before
 * CampaignBonusesAtOnce1734260000000).
 */

/**
 * A referrer's lot's available_at and expires_at (`referrerDatesOwn`): as long after p_now as the
 * friend's purchase's after it was made, to the second (an interval of days would follow the
 * session's time zone across a daylight-saving change).
 */
const afterNowAsLongAs = (to: string) => `p_now + make_interval(secs => extract(epoch FROM ${to} - r.earned_at))`;
const REFERRER_LOT_DATES = `${afterNowAsLongAs("r.available_at")}, ${afterNowAsLongAs("r.expires_at")}`;
/**
 * With `referrerExpiryInMonths`, the lot's expiry is the rule's (rules/expiry.ts `expiresAt`): as many
 * calendar months after it is posted (p_now, its earned_at) as the friend's purchase's expiry is after
 * the purchase (POINTS_EXPIRY_MONTHS, which the SQL is not given: `expiryMonthsOfSql` reads it back from
 * the purchase's dates). Pending as before: a return window is whole days, the same in seconds.
 */
const REFERRER_LOT_DATES_IN_MONTHS = `${afterNowAsLongAs("r.available_at")}, ${expiresAtSql("p_now", expiryMonthsOfSql("r.earned_at", "r.expires_at"))}`;

/**
 * Referrals: the referred member's first purchase rewards both members once, the referrer at most
 * referrer_max times. One loop turn per referral (rare: once per referred member), after the campaigns.
 * With `referrerEntryOwn`, the referrer's entry is dated when it is posted and names no partner or
 * receipt: a member's entries never show where, when or what a friend bought. With `referralGuards`,
 * only a purchase that earns points counts as the first (otherwise a partner could pay the coalition's
 * bonuses with one-cent purchases of made-up members), and an erased referrer gets nothing: read under
 * the referrer's lock, which the erasure's forfeit holds while it marks the id (as for purchases).
 * With `referrerDatesOwn`, the referrer's lot too: pending and expiring as long after it is posted as
 * the friend's purchase after it was made (the same return window and expiry, none of the friend's dates);
 * with `referrerExpiryInMonths`, it expires POINTS_EXPIRY_MONTHS calendar months after it is posted, as
 * every lot does after it is earned (before, as many seconds after as the friend's points lived: a day off
 * for a late purchase whose months held a 29 February the referrer's did not, or the other way round).
 * With `heldWithinCap`, both bonuses fit under the cap with what the member holds (balance plus debt,
 * rules/cap.ts `heldPointsWouldPassCap`), as purchases' do.
 * With `referrerDebtInTimeOrder`, the referrer's debt is repaid by what became spendable since their last
 * write before the bonus repays what is left (sql/repay-debt.ts).
 */
export const referralBonuses = ({
  referrerEntryOwn,
  referralGuards,
  referrerDatesOwn,
  referrerDebtInTimeOrder,
  heldWithinCap,
  referrerExpiryInMonths,
}: Pick<AwardsShape, "referrerEntryOwn" | "referralGuards" | "referrerDatesOwn" | "referrerDebtInTimeOrder" | "heldWithinCap" | "referrerExpiryInMonths">) => `  FOR r IN
    WITH made AS (${MADE}
    )
    SELECT m.*, rf.referrer_member_id, rf.bonus_points, rf.referrer_max
    FROM made m JOIN referrals rf ON rf.referred_member_id = m.member_id AND rf.earn_transaction_id IS NULL${referralGuards ? `
    WHERE m.points > 0` : ""}
    ORDER BY m.ord
  LOOP
    UPDATE referrals SET earn_transaction_id = r.tx WHERE referred_member_id = r.member_id;
    ${heldWithinCap ? `SELECT a.balance, a.debt INTO v_balance, v_debt FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.member_id;
    IF ${heldPointsFitUnderCapSql("v_balance", "v_debt", "r.bonus_points", "p_points_cap")} THEN` : `SELECT a.balance INTO v_balance FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.member_id;
    IF v_balance + r.bonus_points <= p_points_cap THEN`}
      v_tx := post_bonus('referral:' || r.member_id || ':referred', r.member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid, r.bonus_points,
                         r.partner_id, r.reference, r.earned_at, r.available_at, r.expires_at, p_now);
      INSERT INTO campaign_bonuses (transaction_id, campaign_id, earn_transaction_id, member_id, funder_kind, funder_id, points)
      SELECT v_tx, NULL, r.tx, r.member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid, r.bonus_points WHERE v_tx IS NOT NULL;
    END IF;
    -- The referrer's lock (after the purchasing members' own) counts their rewarded referrals exactly.
    INSERT INTO accounts (kind, owner_id) VALUES ('MEMBER', r.referrer_member_id) ON CONFLICT DO NOTHING;
    SELECT a.balance INTO v_balance FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.referrer_member_id FOR UPDATE;${referralGuards ? `
    CONTINUE WHEN EXISTS (SELECT FROM member_erasures e WHERE e.member_id = r.referrer_member_id);` : ""}${referrerDebtInTimeOrder ? `
    PERFORM repay_debt_in_time_order(a.owner_id, p_now) FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.referrer_member_id AND a.debt > 0;` : ""}${heldWithinCap ? `
    SELECT a.balance, a.debt INTO v_balance, v_debt FROM accounts a WHERE a.kind = 'MEMBER' AND a.owner_id = r.referrer_member_id;` : ""}
    SELECT count(*) INTO v_rewarded FROM referrals rf WHERE rf.referrer_member_id = r.referrer_member_id AND rf.referrer_rewarded;
    CONTINUE WHEN v_rewarded >= r.referrer_max OR ${heldWithinCap ? `NOT ${heldPointsFitUnderCapSql("v_balance", "v_debt", "r.bonus_points", "p_points_cap")}` : "v_balance + r.bonus_points > p_points_cap"};
    v_tx := post_bonus('referral:' || r.member_id || ':referrer', r.referrer_member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid,
                       r.bonus_points, ${referrerEntryOwn ? "NULL, NULL, p_now" : "r.partner_id, r.reference, r.earned_at"}, ${referrerExpiryInMonths ? REFERRER_LOT_DATES_IN_MONTHS : referrerDatesOwn ? REFERRER_LOT_DATES : "r.available_at, r.expires_at"}, p_now);
    CONTINUE WHEN v_tx IS NULL;
    UPDATE referrals SET referrer_rewarded = true WHERE referred_member_id = r.member_id;
    INSERT INTO campaign_bonuses (transaction_id, campaign_id, earn_transaction_id, member_id, funder_kind, funder_id, points)
    VALUES (v_tx, NULL, r.tx, r.referrer_member_id, 'COALITION_ISSUANCE', '${COALITION_OWNER_ID}'::uuid, r.bonus_points);
  END LOOP;
`;

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
  v_repaid := ${repaidOnArrivalSql("v_debt", "p_points", "p_available_at", "p_now")};
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
