import type { DataSource } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { badInput, notFound } from "../../../../shared/src/errors";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import { addPartnerPoints, addQualifying } from "../balance/qualifying";
import { lockBonusBudgetsOf, referrersPaidFor, reverseBonusesOf } from "../campaign/bonus-reversal";
import type { Clock } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { lockMembers, postTransaction } from "../journal/journal";
import { expireLotsOf, lockBreakageBeforeIssuance } from "../journal/expire-lots";
import { breakagePostings, dueHoldersOf, lotTransactionsOf, planTakeBack, takeFromMember } from "../journal/take-back";
import { requireNotErased } from "../member-data/erased";
import { MAX_AMOUNT_MINOR, clawbackFor } from "../rules";
import { findRefund, refundKeys } from "./refund-keys";
import type { ReversePurchaseInput } from "./reverse-purchase.input";

interface PurchaseRow {
  transaction_id: string;
  member_id: string;
  amount_minor: string;
  refunded_minor: string;
  points: number;
  base_points: number;
  reversed_points: number;
  reversed_base_points: number;
  earned_at: Date;
}

export class ReversalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Claws back a refunded purchase's points in proportion to the amount refunded, cumulatively, so the
   * refunds of one purchase never take back more than it earned, and its bonuses likewise (a referrer's too:
   * campaign/bonus-reversal.ts). Points the purchase's lot, or a lot its points moved to, lost to expiry
   * come back from the issuer's breakage (journal/take-back.ts); points already spent leave a debt.
   */
  async reverse(input: ReversePurchaseInput, caller?: AuditCaller): Promise<LedgerEntry> {
    const partnerId = requireId(input.partnerId, "partnerId");
    const reference = requireText(input.reference, "reference", { max: 100 });
    const amountMinor = requireInt(input.amountMinor, "amountMinor", { min: 1, max: MAX_AMOUNT_MINOR });
    // Left out or null: no refund id. Sent, it is one: "" is refused like "  ", never read as left out.
    const refundReference = input.refundReference != null ? requireText(input.refundReference, "refundReference", { max: 100 }) : null;
    const keys = refundKeys(partnerId, reference, refundReference, amountMinor);
    const idempotencyKey = keys.key;
    const request = { amountMinor, refundReference };
    const now = this.clock.now();
    const manager = this.dataSource.manager;

    const [purchase] = await manager.query(
      `SELECT t.id, p.member_id FROM transactions t JOIN purchases p ON p.transaction_id = t.id WHERE t.idempotency_key = $1`,
      [`purchase:${partnerId}:${reference}`],
    );
    if (!purchase) throw notFound(`No purchase with reference "${reference}" at this partner`);
    const replayed = await findRefund(manager, keys, request, purchase.id);
    if (replayed) return findMemberEntryOf(manager, replayed, purchase.member_id);

    const referrers = await referrersPaidFor(manager, purchase.id, purchase.member_id);
    const lotTransactions = await lotTransactionsOf(manager, purchase.id);
    // Members holding the purchase's (or its bonuses') points past their expiry, not yet expired (received by a transfer).
    const holders = await dueHoldersOf(manager, purchase.member_id, lotTransactions, now);
    const transactionId = await this.dataSource.transaction(async (tx) => {
      // The referrer, whose bonus the refund takes back too, is locked with the member, in id order, before
      // any other row: as a transfer between the two locks them, and as the referrer's own purchases lock
      // them before their partner's issuance account and the budgets (which this refund locks next). So are
      // the holders, whose lots past expiry the refund expires (journal/take-back.ts dueHoldersOf).
      await lockMembers(tx, [purchase.member_id, ...referrers, ...holders], now);
      // An erased member's points were forfeited to the issuers' breakage: a refund has nothing to take back.
      await requireNotErased(tx, purchase.member_id);
      // The breakage accounts it may post to (expiries of the members' lots, take-backs of the purchase's and its
      // bonuses' lots), before any issuance account (journal/expire-lots.ts lockBreakageBeforeIssuance).
      await lockBreakageBeforeIssuance(tx, [purchase.member_id, ...referrers, ...holders], now, lotTransactions);
      // The partner's issuance account, then the campaigns' budget rows, in the order purchases lock them (campaign/bonus-reversal.ts).
      await lockBonusBudgetsOf(tx, purchase.id, purchase.member_id, partnerId);
      const [row]: PurchaseRow[] = await tx.query(`SELECT * FROM purchases WHERE transaction_id = $1 FOR UPDATE`, [purchase.id]);
      const replayedUnderLock = await findRefund(tx, keys, request, purchase.id);
      if (replayedUnderLock) return replayedUnderLock;
      const clawback = clawbackFor(
        {
          amountMinor: Number(row.amount_minor),
          refundedMinor: Number(row.refunded_minor),
          points: row.points,
          basePoints: row.base_points,
          reversedPoints: row.reversed_points,
          reversedBasePoints: row.reversed_base_points,
        },
        amountMinor,
      );
      if (!clawback.ok) {
        throw badInput(
          `Refunds would total ${Number(row.refunded_minor) + amountMinor}, more than the purchase's ${Number(row.amount_minor)}; at most ${clawback.refundable} is left to refund`,
          "amountMinor",
        );
      }
      const { refundedMinor: refunded, points, basePoints } = clawback;
      const [lot] = await tx.query(`SELECT id FROM lots WHERE transaction_id = $1`, [row.transaction_id]);
      // Their points past expiry go to the breakage first, where the refund takes them back (planTakeBack).
      for (const holder of holders) await expireLotsOf(tx, holder, now);
      const plan = await planTakeBack(tx, row.member_id, lot?.id ?? null, points, now);
      const posted = await postTransaction(tx, {
        kind: "REVERSAL",
        reversal: { reason: "PURCHASE_REFUND", reversesTransactionId: row.transaction_id },
        idempotencyKey,
        request,
        partnerId,
        reference,
        occurredAt: now,
        postings: [
          { account: { kind: "MEMBER", ownerId: row.member_id }, amount: -plan.fromMember, entryKind: "REVERSAL" },
          { account: { kind: "PARTNER_ISSUANCE", ownerId: partnerId }, amount: points },
          ...breakagePostings(plan),
        ],
      });
      await tx.query(
        `UPDATE purchases SET refunded_minor = $2, reversed_points = reversed_points + $3, reversed_base_points = reversed_base_points + $4
         WHERE transaction_id = $1`,
        [row.transaction_id, refunded, points, basePoints],
      );
      // From the purchase's own lot first (even while pending), then what it lost to expiry (posted above), then
      // spendable points nearest expiry first (never other purchases' pending points); the rest is owed (rules/refunds.ts).
      await takeFromMember(tx, row.member_id, lot?.id ?? null, plan.fromMember, now);
      await addPartnerPoints(tx, row.member_id, partnerId, { earned: -points });
      await addQualifying(tx, row.member_id, row.earned_at, -basePoints);
      await reverseBonusesOf(tx, {
        earnTransactionId: row.transaction_id, memberId: row.member_id, amountMinor: Number(row.amount_minor), refundedMinor: refunded,
        refundKey: idempotencyKey, partnerId, reference, now,
      });
      if (caller) await auditWrite(tx, caller, { action: "REVERSE_PURCHASE", memberId: row.member_id, partnerId, targetId: (await findMemberEntryOf(tx, posted.transactionId, row.member_id)).id });
      return posted.transactionId;
    });
    return findMemberEntryOf(manager, transactionId, purchase.member_id);
  }
}
