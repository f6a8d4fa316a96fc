import type { DataSource, EntityManager } from "typeorm";
import { appError } from "../../../../shared/src/errors";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { findIdempotent, lockMemberAccount, postTransaction } from "../journal/journal";
import type { DebitPointsInput } from "./debit-points.input";

export class DebitService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes points for a redemption. The member's account row is locked for the whole transaction, so
   * concurrent debits queue and each sees the balance the previous one left: no overspend.
   */
  async debit(input: DebitPointsInput): Promise<LedgerEntry> {
    const memberId = requireId(input.memberId, "memberId");
    const partnerId = requireId(input.partnerId, "partnerId");
    const points = requireInt(input.points, "points", { min: 1, max: 100_000_000 });
    const idempotencyKey = requireText(input.idempotencyKey, "idempotencyKey", { max: 200 });
    const reference = input.reference ? requireText(input.reference, "reference", { max: 200 }) : null;
    const request = { memberId, partnerId, points, reference };
    const now = this.clock.now();

    const transactionId = await this.dataSource.transaction(async (manager) => {
      const balance = await lockMemberAccount(manager, memberId);
      // Checked under the lock: a concurrent copy of this request has committed by now.
      const replayed = await findIdempotent(manager, idempotencyKey, request);
      if (replayed) return replayed;
      const available = balance - (await pendingPoints(manager, memberId, now));
      if (available < points) {
        throw appError("INSUFFICIENT_POINTS", `The member has ${Math.max(available, 0)} points available; ${points} are needed`, { available, needed: points });
      }
      const posted = await postTransaction(manager, {
        kind: "REDEEM",
        idempotencyKey,
        request,
        partnerId,
        reference,
        occurredAt: now,
        postings: [
          { account: { kind: "MEMBER", ownerId: memberId }, amount: -points, entryKind: "REDEEM" },
          { account: { kind: "PARTNER_REDEMPTION", ownerId: partnerId }, amount: points },
        ],
      });
      await consumeOldestLots(manager, memberId, points, now);
      await manager.query(
        `INSERT INTO member_partner_points (member_id, partner_id, redeemed) VALUES ($1, $2, $3)
         ON CONFLICT (member_id, partner_id) DO UPDATE SET redeemed = member_partner_points.redeemed + EXCLUDED.redeemed`,
        [memberId, partnerId, points],
      );
      return posted.transactionId;
    });
    return findMemberEntryOf(this.dataSource.manager, transactionId);
  }
}

/** Points still inside their partner's return window: in the balance, but not spendable. */
export async function pendingPoints(manager: EntityManager, memberId: string, now: Date): Promise<number> {
  const [row] = await manager.query(`SELECT coalesce(sum(remaining), 0) AS pending FROM earn_lots WHERE member_id = $1 AND available_at > $2`, [memberId, now]);
  return Number(row.pending);
}

/** Spends the oldest available lots first, so the points closest to expiry go first. */
async function consumeOldestLots(manager: EntityManager, memberId: string, points: number, now: Date): Promise<void> {
  await manager.query(
    `WITH open AS (
       SELECT transaction_id, remaining,
              sum(remaining) OVER (ORDER BY earned_at, transaction_id) - remaining AS before
       FROM earn_lots
       WHERE member_id = $1 AND remaining > 0 AND available_at <= $3
     )
     UPDATE earn_lots l SET remaining = l.remaining - least(o.remaining, $2 - o.before)
     FROM open o
     WHERE l.transaction_id = o.transaction_id AND o.before < $2`,
    [memberId, points, now],
  );
}
