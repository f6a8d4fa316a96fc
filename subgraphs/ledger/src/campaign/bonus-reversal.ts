import type { EntityManager } from "typeorm";
import { type AccountKind, postTransaction } from "../journal/journal";
import { breakagePostings, planTakeBack, takeFromMember } from "../journal/take-back";
import { isErased } from "../member-data/erased";
import { CAMPAIGN_ORDER_SQL, shareOf } from "../rules";

interface BonusRow {
  transaction_id: string;
  member_id: string;
  campaign_id: string | null;
  funder_kind: AccountKind;
  funder_id: string;
  points: number;
  reversed_points: number;
  lot_id: string | null;
}

/**
 * Locks the budget rows (`campaign_totals`) of the campaigns whose bonuses a refund of this purchase
 * may take back, in the one global order (CAMPAIGN_ORDER_SQL), as purchases lock them: before any
 * account but the purchase's partner's issuance account, which is locked first. A purchase locks a
 * campaign's totals and then its funder's issuance account; a refund that posted to the funder's
 * account first and then updated the totals waited on it the other way round (a deadlock: one of the
 * two answered INTERNAL_SERVER_ERROR). And a purchase locks its own partner's issuance account
 * (record_purchases) before the totals: a refund at that partner that took the totals first and then
 * posted to the partner's account met a purchase there in a lock cycle (one of the two failed with
 * UPSTREAM_UNAVAILABLE), whoever funds the campaign. So: the member (with the referrer paid for the
 * purchase, in id order: reversal.service.ts), the partner's issuance account, the budgets, then the
 * funders' accounts, the order purchases take them in. Call it right after the members' locks.
 */
export async function lockBonusBudgetsOf(manager: EntityManager, earnTransactionId: string, memberId: string, partnerId: string): Promise<void> {
  const [campaignBonus] = await manager.query(
    `SELECT 1 FROM campaign_bonuses b WHERE b.earn_transaction_id = $1 AND b.member_id = $2 AND b.campaign_id IS NOT NULL LIMIT 1`,
    [earnTransactionId, memberId],
  );
  if (!campaignBonus) return;
  await manager.query(`SELECT 1 FROM accounts WHERE kind = 'PARTNER_ISSUANCE' AND owner_id = $1 FOR UPDATE`, [partnerId]);
  await manager.query(
    `SELECT 1 FROM campaign_totals t JOIN campaigns c ON c.id = t.campaign_id
     WHERE t.campaign_id IN (SELECT b.campaign_id FROM campaign_bonuses b WHERE b.earn_transaction_id = $1 AND b.member_id = $2)
     ORDER BY ${CAMPAIGN_ORDER_SQL("c")} FOR UPDATE OF t`,
    [earnTransactionId, memberId],
  );
}

/**
 * The referrer paid a bonus for this purchase (the referred member's first that earned points), if any:
 * the one bonus of the purchase that is not the purchasing member's (sql/referral-bonuses.ts). Read
 * before the locks (a bonus row's member never changes), so the refund can lock them with its member.
 */
export async function referrersPaidFor(manager: EntityManager, earnTransactionId: string, memberId: string): Promise<string[]> {
  const rows: { member_id: string }[] = await manager.query(
    `SELECT DISTINCT b.member_id FROM campaign_bonuses b WHERE b.earn_transaction_id = $1 AND b.member_id <> $2`,
    [earnTransactionId, memberId],
  );
  return rows.map((row) => row.member_id);
}

/**
 * The referrers paid a bonus for this member's purchase that used their referral (the referred member's
 * first that earned points: referrals.earn_transaction_id), if any: referrersPaidFor of that purchase.
 * The erasure of the referred member reads them before its locks, to lock them with the member
 * (member-data/erasure.service.ts).
 */
export async function referrersPaidForReferred(manager: EntityManager, memberId: string): Promise<string[]> {
  const [referral]: { earn_transaction_id: string }[] = await manager.query(
    `SELECT earn_transaction_id FROM referrals WHERE referred_member_id = $1 AND earn_transaction_id IS NOT NULL`,
    [memberId],
  );
  return referral ? referrersPaidFor(manager, referral.earn_transaction_id, memberId) : [];
}

/**
 * A refund of a purchase takes back its bonuses (the member's: campaigns and their own referral bonus;
 * and the referrer's referral bonus, which came with it) in the same proportion as its points
 * (rules/refunds.ts: floor(points × refunded / amount), cumulative), each as a BONUS transaction
 * reversing the bonus (reason PURCHASE_REFUND; −points to the bonus's member, entry REVERSAL; +points
 * back to the funder's issuance account, valued at the bonus's price), and gives them back to the
 * campaign's budget and the member's cap. Points come from the bonus's own lot first, then from what it
 * lost to expiry (off the breakage: journal/take-back.ts), then as for the purchase; what is missing
 * becomes a debt. The referrer's reversal, like their bonus, names no partner
 * or receipt and is dated when posted; an erased referrer's points were forfeited: nothing to take. The
 * caller holds the locks of the member and of `referrersPaidFor`, inside the refund's transaction;
 * `refundKey` is the refund's key.
 */
export async function reverseBonusesOf(
  manager: EntityManager,
  refund: { earnTransactionId: string; memberId: string; amountMinor: number; refundedMinor: number; refundKey: string; partnerId: string; reference: string; now: Date },
): Promise<void> {
  const bonuses: BonusRow[] = await manager.query(
    `SELECT b.transaction_id, b.member_id, b.campaign_id, b.funder_kind, b.funder_id, b.points, b.reversed_points, l.id AS lot_id
     FROM campaign_bonuses b LEFT JOIN lots l ON l.transaction_id = b.transaction_id
     WHERE b.earn_transaction_id = $1 ORDER BY b.transaction_id FOR UPDATE OF b`,
    [refund.earnTransactionId],
  );
  for (const bonus of bonuses) {
    const points = shareOf(bonus.points, refund.refundedMinor, refund.amountMinor) - bonus.reversed_points;
    if (points <= 0) continue;
    const own = bonus.member_id === refund.memberId;
    if (!own && (await isErased(manager, bonus.member_id))) continue;
    const plan = await planTakeBack(manager, bonus.member_id, bonus.lot_id, points, refund.now);
    await postTransaction(manager, {
      kind: "BONUS",
      // Named as what it reverses: the clearing house credits the funder the price the bonus was charged.
      reversal: { reason: "PURCHASE_REFUND", reversesTransactionId: bonus.transaction_id },
      idempotencyKey: `${refund.refundKey}:bonus:${bonus.transaction_id}`,
      request: { reverses: bonus.transaction_id, refundedMinor: refund.refundedMinor },
      partnerId: own ? refund.partnerId : null,
      reference: own ? refund.reference : null,
      occurredAt: refund.now,
      postings: [
        { account: { kind: "MEMBER", ownerId: bonus.member_id }, amount: -plan.fromMember, entryKind: "REVERSAL" },
        { account: { kind: bonus.funder_kind, ownerId: bonus.funder_id }, amount: points },
        ...breakagePostings(plan),
      ],
    });
    await manager.query(`UPDATE campaign_bonuses SET reversed_points = reversed_points + $2 WHERE transaction_id = $1`, [bonus.transaction_id, points]);
    if (bonus.campaign_id) {
      await manager.query(`UPDATE campaign_totals SET points_awarded = points_awarded - $2 WHERE campaign_id = $1`, [bonus.campaign_id, points]);
      await manager.query(`UPDATE campaign_member_points SET points = points - $3 WHERE campaign_id = $1 AND member_id = $2`, [bonus.campaign_id, bonus.member_id, points]);
    }
    await takeFromMember(manager, bonus.member_id, bonus.lot_id, plan.fromMember, refund.now);
  }
}
