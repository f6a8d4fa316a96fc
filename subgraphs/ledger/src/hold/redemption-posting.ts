import type { EntityManager } from "typeorm";
import { addPartnerPoints } from "../balance/qualifying";
import { postTransaction } from "../journal/journal";
import { takeOldest } from "../journal/lots";

export const MAX_POINTS = 100_000_000;

export interface Redemption {
  memberId: string;
  partnerId: string;
  points: number;
  idempotencyKey: string;
  reference: string | null;
  now: Date;
  request?: unknown;
}

/** The REDEEM transaction: points from the member (oldest first) to the partner's redemption account. The caller holds the member's lock and has checked the points. */
export async function postRedemption(manager: EntityManager, r: Redemption): Promise<string> {
  const posted = await postTransaction(manager, {
    kind: "REDEEM",
    idempotencyKey: r.idempotencyKey,
    request: r.request ?? { memberId: r.memberId, partnerId: r.partnerId, points: r.points, reference: r.reference },
    partnerId: r.partnerId,
    reference: r.reference,
    occurredAt: r.now,
    postings: [
      { account: { kind: "MEMBER", ownerId: r.memberId }, amount: -r.points, entryKind: "REDEEM" },
      { account: { kind: "PARTNER_REDEMPTION", ownerId: r.partnerId }, amount: r.points },
    ],
  });
  if (posted.created) {
    const taken = await takeOldest(manager, r.memberId, r.points, r.now);
    // Remembered so that a cancelled redemption gives each point back with the expiry it had.
    await manager.query(
      `INSERT INTO lot_takes (transaction_id, lot_id, points) SELECT $1, * FROM unnest($2::bigint[], $3::int[])`,
      [posted.transactionId, taken.map((t) => t.lotId), taken.map((t) => t.taken)],
    );
    await addPartnerPoints(manager, r.memberId, r.partnerId, { redeemed: r.points });
  }
  return posted.transactionId;
}
