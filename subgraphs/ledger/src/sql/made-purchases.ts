/**
 * What `apply_campaign_bonuses` starts from (sql/campaign-bonuses.ts, its campaigns and its referrals,
 * sql/referral-bonuses.ts): the purchases `record_purchases` has just written, by the arguments it passes.
 */
/**
 * The purchases this call created: their keys, EARN transactions written in this database transaction
 * (`recorded_at` is the transaction's start), so a replayed key never brings a second bonus.
 */
export const MADE = `
    SELECT k.ord, t.id AS tx, t.reference, pu.member_id, pu.partner_id, pu.amount_minor, pu.points, pu.base_points, pu.earned_at,
           pu.available_at, k.expires_at, k.tier_from, pc.category
    FROM unnest(p_keys, p_expires_at, p_tier_from) WITH ORDINALITY AS k(key, expires_at, tier_from, ord)
    JOIN transactions t ON t.idempotency_key = k.key AND t.kind = 'EARN' AND t.recorded_at = now()
    JOIN purchases pu ON pu.transaction_id = t.id
    LEFT JOIN campaign_partner_categories pc ON pc.partner_id = pu.partner_id`;
