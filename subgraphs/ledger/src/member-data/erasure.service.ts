import type { DataSource, EntityManager } from "typeorm";
import { actorOf } from "../../../../shared/src/audit/record-audit";
import { requireId } from "../../../../shared/src/validation";
import { referrersPaidForReferred } from "../campaign/bonus-reversal";
import type { Clock } from "../clock";
import { eraseLateRequestIds, eraseRequestIdsSql } from "../../../../shared/src/audit/audit-table";
import { eraseCallerTextSql } from "./erased-caller-text";
import { isErased } from "./erased";
import { type NewTransaction, lockMembers, postNewTransactions, postTransaction } from "../journal/journal";
import {
  ERASED_ADJUSTMENT_NOTE,
  ERASURE_ADJUSTMENT_REASON,
  type LotForfeit,
  REFERRAL_WITHDRAWAL_NOTE,
  REFERRAL_WITHDRAWAL_REASON,
  type ReferralWithdrawal,
  erasureForfeit,
  lotForfeitKey,
  referralWithdrawalKey,
  referralWithdrawals,
} from "../rules";

/** Test-only fault injection: `LEDGER_CRASH_AT=after-forfeit` kills this process after committing the forfeit, before answering. */
function crashPoint(step: "after-forfeit") {
  if (process.env.LEDGER_CRASH_AT === step && process.env.NODE_ENV !== "production") process.kill(process.pid, "SIGKILL");
}

/** The ledger's step of an erasure (the members service runs the saga). */
export class ErasureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Forfeits everything the member's lots hold (rules/erasure.ts), one ADJUSTMENT per lot to its
   * issuer's breakage (the lot named on the transaction, so the clearing house values it as breakage),
   * releases holds still in flight (their redemptions fail and return the stock; a capture can no
   * longer take points), marks the id erased and replaces the notes of its adjustments (free text about the
   * person: rules/erasure.ts ERASED_ADJUSTMENT_NOTE) and the text callers chose on the member's transactions
   * and audit lines by its digest (erased-caller-text.ts), all under the member's lock in one transaction. Once
   * per member: asking again changes nothing. Amounts stay under the member id; the ledger never held a name.
   * In the same transaction, the referral bonus the member's first purchase paid their referrer is
   * withdrawn while it is still pending (rules/erasure.ts referralWithdrawals): that purchase can no
   * longer be refunded, and the bonus is the referrer's for good only once available.
   */
  async forfeit(memberId: string): Promise<void> {
    const id = requireId(memberId, "memberId");
    const now = this.clock.now();
    // The referrer is locked with the member, in id order, before any other row, as a refund of the member's first
    // purchase locks them (reversal/reversal.service.ts). Read before the locks (a bonus row's member never changes);
    // a first purchase committed in between (the ledger learns of the erasure here, after the members service's
    // step 1) pays a referrer not locked yet: the transaction is rolled back and run again with them.
    let referrers = await referrersPaidForReferred(this.dataSource.manager, id);
    for (;;) {
      const unlocked = await this.dataSource.transaction(async (manager) => {
        await lockMembers(manager, [id, ...referrers], now);
        if (await isErased(manager, id)) return [];
        const paid = await referrersPaidForReferred(manager, id);
        if (paid.some((referrer) => !referrers.includes(referrer))) return paid;
        await manager.query(`UPDATE holds SET status = 'RELEASED', updated_at = now() WHERE member_id = $1 AND status = 'HELD'`, [id]);
        // Before the member's own forfeits: the coalition's breakage account (the nil owner id, first in owner order) is
        // locked before the other issuers' (journal.ts postLegs locks accounts in kind and owner order within a statement).
        await withdrawReferralBonuses(manager, id, now);
        const lots: { id: string; partner_id: string; remaining: number }[] = await manager.query(
          `SELECT id, partner_id, remaining FROM lots WHERE member_id = $1 AND remaining > 0 ORDER BY id FOR UPDATE`,
          [id],
        );
        const forfeit = erasureForfeit(lots.map((lot) => ({ lotId: lot.id, partnerId: lot.partner_id, remaining: lot.remaining })));
        // The lots' ADJUSTMENTs a few thousand to a statement (journal.ts postNewTransactions), never one by one: the
        // clearing lock the first takes is held to the commit. Chunks keep each statement far from statement_timeout.
        for (let from = 0; from < forfeit.lots.length; from += FORFEITS_PER_STATEMENT) {
          await postNewTransactions(manager, forfeitTransactions(id, forfeit.lots.slice(from, from + FORFEITS_PER_STATEMENT), now));
        }
        if (forfeit.lots.length) await manager.query(`UPDATE lots SET remaining = 0 WHERE member_id = $1 AND remaining > 0`, [id]);
        await recordErasureAdjustment(manager, id, forfeit.total, now);
        // The notes customer care wrote about the person go too (rules/erasure.ts); the trigger admits this once the id is erased, above.
        await manager.query(`UPDATE adjustments SET note = $2 WHERE member_id = $1 AND note <> $2`, [id, ERASED_ADJUSTMENT_NOTE]);
        // And the text callers chose (references, keys, request ids): replaced by its digest (erased-caller-text.ts).
        await manager.query(eraseCallerTextSql(`$1::uuid`), [id]);
        await manager.query(eraseRequestIdsSql(`$1::uuid`), [id]);
        return [];
      });
      if (!unlocked.length) break;
      referrers = [...referrers, ...unlocked];
    }
    await eraseLateRequestIds(this.dataSource, id);
    crashPoint("after-forfeit");
  }
}

/** Who the `adjustments` row of a referral bonus's withdrawal says made it: the ledger itself (an actor as record-audit.ts writes them). */
export const LEDGER_ACTOR = actorOf({ kind: "service", service: "ledger" });

/**
 * Withdraws what the referral bonus lots the erased member's first purchase paid their referrer still hold
 * while pending (rules/erasure.ts referralWithdrawals): one ADJUSTMENT per lot, shaped like a forfeit (the
 * referrer's ADJUSTMENT entry, the lot's issuer's breakage, the lot named so the clearing house values it as
 * breakage), with its `adjustments` row (reason, note, made by the ledger), the lot emptied. The caller holds
 * the locks of the member and of their referrers (referrersPaidForReferred).
 */
async function withdrawReferralBonuses(manager: EntityManager, erasedMemberId: string, now: Date): Promise<void> {
  const lots: { id: string; member_id: string; partner_id: string; remaining: number; available_at: Date }[] = await manager.query(
    `SELECT l.id, l.member_id, l.partner_id, l.remaining, l.available_at
     FROM referrals rf
     JOIN campaign_bonuses b ON b.earn_transaction_id = rf.earn_transaction_id AND b.member_id <> rf.referred_member_id AND b.campaign_id IS NULL
     JOIN lots l ON l.transaction_id = b.transaction_id
     WHERE rf.referred_member_id = $1 ORDER BY l.id FOR UPDATE OF l`,
    [erasedMemberId],
  );
  const withdrawals = referralWithdrawals(
    lots.map((lot) => ({ lotId: lot.id, memberId: lot.member_id, partnerId: lot.partner_id, remaining: lot.remaining, availableAt: lot.available_at })),
    now,
  );
  for (const withdrawal of withdrawals) {
    const posted = await postTransaction(manager, referralWithdrawalTransaction(erasedMemberId, withdrawal, now));
    await manager.query(
      `INSERT INTO adjustments (transaction_id, member_id, reason, note, made_by, funded_by_partner_id) VALUES ($1, $2, $3, $4, $5, NULL)`,
      [posted.transactionId, withdrawal.memberId, REFERRAL_WITHDRAWAL_REASON, REFERRAL_WITHDRAWAL_NOTE, LEDGER_ACTOR],
    );
    await manager.query(`UPDATE lots SET remaining = 0 WHERE id = $1`, [withdrawal.lotId]);
  }
}

/** A referral bonus's withdrawal: as a forfeit (forfeitTransactions), from the referrer, keyed by the erasure and the lot. */
const referralWithdrawalTransaction = (erasedMemberId: string, withdrawal: ReferralWithdrawal, now: Date): NewTransaction => ({
  kind: "ADJUSTMENT",
  idempotencyKey: referralWithdrawalKey(erasedMemberId, withdrawal.lotId),
  // The referrer's own: never the erased member's id (a transaction's fingerprint is a hash of this).
  request: { memberId: withdrawal.memberId, lotId: withdrawal.lotId, points: withdrawal.points, reason: REFERRAL_WITHDRAWAL_REASON },
  partnerId: null,
  reference: null,
  occurredAt: now,
  expiredLotId: withdrawal.lotId,
  postings: [
    { account: { kind: "MEMBER", ownerId: withdrawal.memberId }, amount: -withdrawal.points, entryKind: "ADJUSTMENT" },
    { account: { kind: "PARTNER_BREAKAGE", ownerId: withdrawal.partnerId }, amount: withdrawal.points },
  ],
});

/** About 0.4 s of database time a statement (measured: 100,000 lots in 8.7 s). */
const FORFEITS_PER_STATEMENT = 5_000;

/** One ADJUSTMENT per lot, naming it (so the clearing house values it as breakage), to the lot's issuer's breakage account. */
const forfeitTransactions = (memberId: string, lots: readonly LotForfeit[], now: Date): NewTransaction[] =>
  lots.map((lot) => ({
    kind: "ADJUSTMENT",
    idempotencyKey: lotForfeitKey(memberId, lot.lotId),
    request: { memberId, lotId: lot.lotId, points: lot.points, reason: ERASURE_ADJUSTMENT_REASON },
    partnerId: null,
    reference: null,
    occurredAt: now,
    expiredLotId: lot.lotId,
    postings: [
      { account: { kind: "MEMBER", ownerId: memberId }, amount: -lot.points, entryKind: "ADJUSTMENT" },
      { account: { kind: "PARTNER_BREAKAGE", ownerId: lot.partnerId }, amount: lot.points },
    ],
  }));

/**
 * The reason of the erasure's ADJUSTMENTs, the points they forfeited, and the mark that the id is
 * erased: one small function, so the row can move to the ledger's general adjustment-reason record
 * when there is one. `transaction_id` is left empty: the forfeit is one transaction per lot (keys
 * `erasure:<member>:lot:<lot>`); the erasures before ErasureForfeitsAsBreakage1734830000000 name their one.
 */
async function recordErasureAdjustment(manager: EntityManager, memberId: string, points: number, at: Date): Promise<void> {
  await manager.query(
    `INSERT INTO member_erasures (member_id, transaction_id, adjustment_reason, forfeited_points, erased_at) VALUES ($1, NULL, $2, $3, $4)`,
    [memberId, ERASURE_ADJUSTMENT_REASON, points, at],
  );
}
