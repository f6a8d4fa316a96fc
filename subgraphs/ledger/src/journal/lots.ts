import type { EntityManager } from "typeorm";
import type { Holdings } from "../rules";
import { expiredLotPointsSql, heldPointsSql, pendingLotPointsSql } from "../sql/pending";

/**
 * Points live in lots: one per earn (or per transferred slice), with the time they become spendable
 * and the time they expire. Spending takes the oldest lots first: those nearest expiry (a transferred
 * lot keeps the expiry of the points it came from), then the earliest earned.
 */

export interface NewLot {
  transactionId: string;
  memberId: string;
  partnerId: string;
  source: "EARN" | "TRANSFER" | "RETURN" | "ADJUSTMENT";
  points: number;
  remaining: number;
  earnedAt: Date;
  availableAt: Date;
  expiresAt: Date;
  /** The issue price its points were charged at (a transferred or returned lot's origin's); omitted: the issuer's price now (sql/clearing.ts). */
  issuePricePer1000?: number | null;
  /**
   * The lot its points came from (a transfer's received lot: the sender's lot; a cancelled redemption's
   * returned lot: the lot the redemption took them from); omitted: none. A refund follows it
   * (journal/take-back.ts).
   */
  originLotId?: string | null;
}

/**
 * `chain(id, partner_id)`, for a query's WITH RECURSIVE: the lots `roots` (a condition on `r`) selects
 * and every lot whose origins lead to one of them (`origin_lot_id`: a cancelled redemption's returned
 * lot, a transfer's received lot). They all keep the root's issuer and expiry.
 */
export const lotChainSql = (roots: string) => `chain AS (
    SELECT r.id, r.partner_id FROM lots r WHERE ${roots}
    UNION ALL SELECT d.id, d.partner_id FROM lots d JOIN chain o ON d.origin_lot_id = o.id)`;

export async function insertLots(manager: EntityManager, lots: NewLot[]): Promise<void> {
  const open = lots.filter((lot) => lot.points > 0);
  if (!open.length) return;
  await manager.query(
    `INSERT INTO lots (transaction_id, member_id, partner_id, source, points, remaining, earned_at, available_at, expires_at, issue_price_per_1000, origin_lot_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::int[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::bigint[], $11::bigint[])`,
    [
      open.map((l) => l.transactionId),
      open.map((l) => l.memberId),
      open.map((l) => l.partnerId),
      open.map((l) => l.source),
      open.map((l) => l.points),
      open.map((l) => l.remaining),
      open.map((l) => l.earnedAt),
      open.map((l) => l.availableAt),
      open.map((l) => l.expiresAt),
      open.map((l) => l.issuePricePer1000 ?? null),
      open.map((l) => l.originLotId ?? null),
    ],
  );
}

export interface TakenSlice {
  lotId: string;
  partnerId: string;
  taken: number;
  expiresAt: Date;
  /** The lot's issue price (null on lots older than the clearing house). */
  issuePricePer1000: number | null;
}

/**
 * Takes up to `points` from a member's unexpired spendable lots, nearest expiry first; `firstLotId`
 * (a refunded purchase's own lot) is taken from before any other, even while pending. Returns what
 * was taken from which lot. The caller holds the member's lock.
 */
export async function takeOldest(
  manager: EntityManager,
  memberId: string,
  points: number,
  now: Date,
  { firstLotId = null as string | null } = {},
): Promise<TakenSlice[]> {
  if (points <= 0) return [];
  const rows: { id: string; partner_id: string; taken: number; expires_at: Date; issue_price_per_1000: string | null }[] = await manager.query(
    `WITH open AS (
       SELECT id, remaining,
              sum(remaining) OVER (ORDER BY id IS NOT DISTINCT FROM $4 DESC, expires_at, earned_at, id) - remaining AS before
       FROM lots
       WHERE member_id = $1 AND remaining > 0 AND expires_at > $3 AND (available_at <= $3 OR id = $4)
     ), taken AS (
       SELECT id, least(remaining, $2 - before) AS taken FROM open WHERE before < $2
     ), updated AS (
       UPDATE lots l SET remaining = l.remaining - taken.taken
       FROM taken WHERE l.id = taken.id
       RETURNING l.id, l.partner_id, taken.taken, l.expires_at, l.issue_price_per_1000
     )
     -- A SELECT, not a bare UPDATE: TypeORM returns [rows, count] for an UPDATE.
     SELECT * FROM updated ORDER BY id`,
    [memberId, points, now, firstLotId],
  );
  return rows.map((row) => ({ lotId: row.id, partnerId: row.partner_id, taken: Number(row.taken), expiresAt: row.expires_at,
    issuePricePer1000: row.issue_price_per_1000 === null ? null : Number(row.issue_price_per_1000),
  }));
}

export async function holdings(manager: EntityManager, memberId: string, now: Date): Promise<Holdings> {
  const [row] = await manager.query(
    // As in the standing loader: never all of the member's open lots.
    `SELECT ${pendingLotPointsSql("$1::uuid", "$2")} AS pending, ${expiredLotPointsSql("$1::uuid", "$2")} AS expired, ${heldPointsSql("$1::uuid", "$2")} AS held`,
    [memberId, now],
  );
  return { pending: Number(row.pending), expired: Number(row.expired), held: Number(row.held) };
}

