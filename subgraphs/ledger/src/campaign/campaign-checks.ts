import { fromBreakageSql } from "../journal/take-back";
import { shareOfSql } from "../rules";

/** A bonus's refunded share (rules/refunds.ts shareOf), its purchase `pu` joined. */
const BONUS_SHARE = shareOfSql("b.points", "pu.refunded_minor", "pu.amount_minor");

/**
 * `ledger:verify`'s checks of campaign bookkeeping against the bonuses posted (each row is a mismatch:
 * id, got, expected). Refunds move a bonus's `reversed_points`; nothing else may move these totals.
 */
export const CAMPAIGN_CHECKS: { name: string; sql: string }[] = [
  {
    name: "campaigns without their totals row (every read of a campaign needs it)",
    sql: `SELECT c.id, 'none' AS got, 'a campaign_totals row' AS expected
          FROM campaigns c WHERE NOT EXISTS (SELECT FROM campaign_totals t WHERE t.campaign_id = c.id)`,
  },
  {
    name: "campaigns whose totals row says ended when the campaign was not ended early, or the other way round",
    sql: `SELECT c.id, t.ended::text AS got, (c.ended_at IS NOT NULL)::text AS expected
          FROM campaigns c JOIN campaign_totals t ON t.campaign_id = c.id WHERE t.ended <> (c.ended_at IS NOT NULL)`,
  },
  {
    name: "campaigns whose pointsAwarded differs from their bonuses less what refunds took back",
    sql: `SELECT t.campaign_id AS id, t.points_awarded AS got, coalesce(sum(b.points - b.reversed_points), 0) AS expected
          FROM campaign_totals t LEFT JOIN campaign_bonuses b ON b.campaign_id = t.campaign_id
          GROUP BY t.campaign_id HAVING t.points_awarded <> coalesce(sum(b.points - b.reversed_points), 0)`,
  },
  {
    name: "campaigns whose membersRewarded differs from the members they rewarded",
    sql: `SELECT t.campaign_id AS id, t.members_rewarded AS got, count(cm.member_id) AS expected
          FROM campaign_totals t LEFT JOIN campaign_member_points cm ON cm.campaign_id = t.campaign_id
          GROUP BY t.campaign_id HAVING t.members_rewarded <> count(cm.member_id)`,
  },
  {
    name: "members' campaign totals (per-member caps) that differ from their bonuses",
    sql: `SELECT cm.campaign_id || ':' || cm.member_id AS id, cm.points AS got, coalesce(sum(b.points - b.reversed_points), 0) AS expected
          FROM campaign_member_points cm LEFT JOIN campaign_bonuses b ON b.campaign_id = cm.campaign_id AND b.member_id = cm.member_id
          GROUP BY cm.campaign_id, cm.member_id, cm.points HAVING cm.points <> coalesce(sum(b.points - b.reversed_points), 0)`,
  },
  {
    name: "bonuses whose BONUS transaction does not give the member their points from the funder",
    sql: `SELECT b.transaction_id AS id, coalesce(m.amount, 0) || '/' || coalesce(f.amount, 0) AS got, b.points || '/' || -b.points AS expected
          FROM campaign_bonuses b
          JOIN transactions t ON t.id = b.transaction_id
          LEFT JOIN postings m ON m.transaction_id = b.transaction_id AND m.member_id = b.member_id AND m.entry_kind = 'BONUS'
          LEFT JOIN accounts fa ON fa.kind = b.funder_kind AND fa.owner_id = b.funder_id
          LEFT JOIN postings f ON f.transaction_id = b.transaction_id AND f.account_id = fa.id
          WHERE t.kind <> 'BONUS' OR m.amount IS DISTINCT FROM b.points OR f.amount IS DISTINCT FROM -b.points`,
  },
  {
    // A referrer's bonus too: its reversals are the referrer's REVERSAL entries, not the purchasing member's.
    // What the bonus's lot lost to expiry is taken back from the breakage instead (journal/take-back.ts).
    // Before ReversalsAsCharged1734330000000 a bonus's reversal was a BONUS naming no bonus, known by its
    // key only (`<refund key>:bonus:<bonus transaction>`, campaign/bonus-reversal.ts); upgraded databases keep them. An
    // erasure keeps that tail of the key (`erased:<digest>:bonus:<bonus transaction>`, rules/erasure.ts erasedKeySql).
    name: "bonuses whose reversed points differ from what their refund reversals took from the bonus's member and the breakage",
    sql: `SELECT b.transaction_id AS id, b.reversed_points AS got, coalesce(-sum(p.amount), 0) AS expected
          FROM campaign_bonuses b
          LEFT JOIN (
            SELECT r.id, r.reverses_transaction_id AS bonus_transaction_id FROM transactions r
            WHERE r.kind = 'BONUS' AND r.reversal_reason = 'PURCHASE_REFUND'
            UNION ALL
            SELECT r.id, substring(r.idempotency_key FROM ':bonus:([0-9a-f-]{36})$')::uuid FROM transactions r
            WHERE r.kind = 'BONUS' AND r.reversal_reason IS NULL AND (r.idempotency_key LIKE 'reversal:%:bonus:%' OR r.idempotency_key LIKE 'erased:%:bonus:%')
          ) r ON r.bonus_transaction_id = b.transaction_id
          LEFT JOIN postings p ON p.transaction_id = r.id AND ((p.member_id = b.member_id AND p.entry_kind = 'REVERSAL') OR ${fromBreakageSql("p")})
          GROUP BY b.transaction_id, b.reversed_points HAVING b.reversed_points <> coalesce(-sum(p.amount), 0)`,
  },
  {
    // rules/refunds.ts shareOf: at most floor(points × refunded / amount) of a bonus is ever taken back (less: a
    // referrer erased, or a referrer's bonus refunded in part before refunds took those back).
    name: "bonuses refunds took back more of than their purchase's refunded share",
    sql: `SELECT b.transaction_id AS id, b.reversed_points AS got, ${BONUS_SHARE} AS expected
          FROM campaign_bonuses b JOIN purchases pu ON pu.transaction_id = b.earn_transaction_id
          WHERE b.reversed_points > ${BONUS_SHARE}`,
  },
];
