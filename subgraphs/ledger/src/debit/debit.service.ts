import type { DataSource } from "typeorm";
import { appError } from "../../../../shared/src/errors";
import { requireId, requireInt, requireText } from "../../../../shared/src/validation";
import { addPartnerPoints } from "../balance/qualifying";
import type { Clock } from "../clock";
import { findMemberEntryOf } from "../entry/ledger-entry.loader";
import type { LedgerEntry } from "../entry/ledger-entry.type";
import { findIdempotent, lockMember, postTransaction } from "../journal/journal";
import { holdings, spendable, takeOldest } from "../journal/lots";
import type { DebitPointsInput } from "./debit-points.input";

export const MAX_POINTS = 100_000_000;

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
    const points = requireInt(input.points, "points", { min: 1, max: MAX_POINTS });
    const idempotencyKey = requireText(input.idempotencyKey, "idempotencyKey", { max: 200 });
    const reference = input.reference ? requireText(input.reference, "reference", { max: 200 }) : null;
    const request = { memberId, partnerId, points, reference };
    const now = this.clock.now();

    const transactionId = await this.dataSource.transaction(async (manager) => {
      const member = await lockMember(manager, memberId);
      // Checked under the lock: a concurrent copy of this request has committed by now.
      const replayed = await findIdempotent(manager, idempotencyKey, request);
      if (replayed) return replayed;
      const available = spendable(member.balance, await holdings(manager, memberId, now));
      if (available < points) {
        throw appError("INSUFFICIENT_POINTS", `The member has ${available} points available; ${points} are needed`, { available, needed: points });
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
      await takeOldest(manager, memberId, points, now);
      await addPartnerPoints(manager, memberId, partnerId, { redeemed: points });
      return posted.transactionId;
    });
    return findMemberEntryOf(this.dataSource.manager, transactionId, memberId);
  }
}
