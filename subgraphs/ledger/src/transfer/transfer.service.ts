import type { DataSource } from "typeorm";
import { type AuditCaller, auditWrite } from "../../../../shared/src/audit/record-audit";
import { appError, badInput, notFound } from "../../../../shared/src/errors";
import { SubgraphClient } from "../../../../shared/src/subgraph-client";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { requireNotErased } from "../member-data/erased";
import { addDebt, findIdempotent, lockMembers, postTransaction } from "../journal/journal";
import { holdings, insertLots, takeOldest } from "../journal/lots";
import { MAX_TRANSFER_POINTS, MEMBER_POINTS_CAP, availablePoints, repayDebtFromSlices, transferAllowanceLeft, transferFits, wouldPassCap } from "../rules";
import { transferDailyLimit } from "../settings";
import type { TransferPointsInput } from "./transfer-points.input";

export class TransferService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly members = new SubgraphClient("members"),
    private readonly dailyLimit = transferDailyLimit(),
  ) {}

  /**
   * Moves available points between members. The received points keep the expiry of the lots they
   * came from (a transfer never extends their life) and never count toward tier.
   */
  async transfer(input: TransferPointsInput, caller?: AuditCaller): Promise<LedgerEntry> {
    const fromMemberId = requireId(input.fromMemberId, "fromMemberId");
    const toMemberId = requireId(input.toMemberId, "toMemberId");
    if (fromMemberId === toMemberId) throw badInput("A member cannot transfer points to themself", "toMemberId");
    const points = requireInt(input.points, "points", { min: 1, max: MAX_TRANSFER_POINTS });
    // The key is the sender's own: another member's use of the same key is another transfer (ScopedTransferKeys migration).
    const idempotencyKey = `transfer:${fromMemberId}:${requireText(input.idempotencyKey, "idempotencyKey", { max: 200 })}`;
    const request = { fromMemberId, toMemberId, points };
    const now = this.clock.now();

    const replayed = await findIdempotent(this.dataSource.manager, idempotencyKey, request);
    if (replayed) return findMemberEntryOf(this.dataSource.manager, replayed, fromMemberId);
    const found = await this.members.entities<{ id: string }>("Member", [fromMemberId, toMemberId], "id");
    if (!found[0]) throw notFound(`No member with id ${fromMemberId}`);
    if (!found[1]) throw notFound(`No member with id ${toMemberId}`);

    const transactionId = await this.dataSource.transaction(async (manager) => {
      const locked = await lockMembers(manager, [fromMemberId, toMemberId], now);
      const replayedUnderLock = await findIdempotent(manager, idempotencyKey, request);
      if (replayedUnderLock) return replayedUnderLock;
      // Checked under the locks: an erasure that began after the members service answered is seen here.
      await requireNotErased(manager, fromMemberId);
      await requireNotErased(manager, toMemberId);
      const sender = locked.get(fromMemberId)!;
      const available = availablePoints(sender.balance, await holdings(manager, fromMemberId, now));
      if (available < points) {
        throw appError("INSUFFICIENT_POINTS", `The sender has ${available} points available; ${points} are needed`, { available, needed: points });
      }
      const [today] = await manager.query(
        `SELECT coalesce(sum(points), 0) AS sent FROM transfer_days WHERE member_id = $1 AND day = ($2::timestamptz AT TIME ZONE 'UTC')::date`,
        [fromMemberId, now],
      );
      if (!transferFits(points, this.dailyLimit, Number(today.sent))) {
        const left = transferAllowanceLeft(this.dailyLimit, Number(today.sent));
        throw appError("LIMIT_EXCEEDED", `Transfers are limited to ${this.dailyLimit} points a day; ${left} are left today`, { limit: this.dailyLimit, left });
      }
      // Received points grow the receiver's balance: capped like earned ones (README, Ranges). The error is the
      // sender's to read: it names the limit, never the figure the receiver's balance would reach (their balance).
      if (wouldPassCap(locked.get(toMemberId)!.balance, points) !== null) {
        throw appError(
          "LIMIT_EXCEEDED",
          `The receiver cannot hold these points: their balance would pass the limit of ${MEMBER_POINTS_CAP.toLocaleString("en-US")} points per member figure (MEMBER_POINTS_CAP); nothing was written`,
          { limit: MEMBER_POINTS_CAP, figure: "balance" },
        );
      }
      const posted = await postTransaction(manager, {
        kind: "TRANSFER",
        idempotencyKey,
        request,
        partnerId: null,
        reference: null,
        occurredAt: now,
        postings: [
          { account: { kind: "MEMBER", ownerId: fromMemberId }, amount: -points, entryKind: "TRANSFER_OUT" },
          { account: { kind: "MEMBER", ownerId: toMemberId }, amount: points, entryKind: "TRANSFER_IN" },
        ],
      });
      const slices = await takeOldest(manager, fromMemberId, points, now);
      // Received points are spendable at once: they repay the receiver's debt first (rules/debt.ts).
      const repayment = repayDebtFromSlices(locked.get(toMemberId)!.debt, slices.map((slice) => slice.taken));
      await addDebt(manager, toMemberId, repayment.debtLeft - locked.get(toMemberId)!.debt);
      await insertLots(
        manager,
        slices.map((slice, i) => ({
          transactionId: posted.transactionId,
          memberId: toMemberId,
          partnerId: slice.partnerId,
          source: "TRANSFER" as const,
          points: slice.taken,
          remaining: repayment.kept[i],
          earnedAt: now,
          availableAt: now,
          expiresAt: slice.expiresAt,
          // A transfer moves no money: the points keep the price they were charged at (none, 0, for
          // points older than the clearing house: null would have the lot priced at today's terms).
          issuePricePer1000: slice.issuePricePer1000 ?? 0,
          // The sender's lot: a refund of the purchase that made it follows its points here (journal/take-back.ts).
          originLotId: slice.lotId,
        })),
      );
      await manager.query(
        `INSERT INTO transfer_days (member_id, day, points) VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3)
         ON CONFLICT (member_id, day) DO UPDATE SET points = transfer_days.points + EXCLUDED.points`,
        [fromMemberId, now, points],
      );
      // An admin moving points between members (a member's own transfer is not audited): a line on each member's
      // trail, naming that member's entry, so auditLog(memberId:) of the one who received the points shows it too.
      if (caller) {
        for (const memberId of [fromMemberId, toMemberId]) {
          await auditWrite(manager, caller, { action: "TRANSFER_POINTS", memberId, targetId: (await findMemberEntryOf(manager, posted.transactionId, memberId)).id });
        }
      }
      return posted.transactionId;
    });
    return findMemberEntryOf(this.dataSource.manager, transactionId, fromMemberId);
  }
}
