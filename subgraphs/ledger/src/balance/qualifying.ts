import type { EntityManager } from "typeorm";
import { pendingBasePointsSql } from "./pending";

/**
 * Qualifying points of many members at `now`: base points earned in the trailing 12 months (daily
 * buckets, at most 366 rows a member), less those of purchases still inside their return window (a
 * purchase inside a window of at most 365 days was always earned within the 12 months).
 * Tier bonuses, transfers and adjustments never qualify; refunds take their share back out.
 * `record_purchases` (RecordPurchasesCapped migration) reads the same sum under the member's lock: change both.
 */
export const QUALIFYING_SQL = `
  SELECT m.member_id,
         coalesce((SELECT sum(points) FROM qualifying_points q
                   WHERE q.member_id = m.member_id AND q.day > (($2::timestamptz - interval '12 months') AT TIME ZONE 'UTC')::date), 0)
       - ${pendingBasePointsSql("m.member_id", "$2")}
         AS qualifying
  FROM unnest($1::uuid[]) AS m(member_id)`;

/** Adds to (or, for refunds, takes from) the day's qualifying bucket. */
export async function addQualifying(manager: EntityManager, memberId: string, day: Date, points: number): Promise<void> {
  if (points === 0) return;
  await manager.query(
    `INSERT INTO qualifying_points (member_id, day, points) VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3)
     ON CONFLICT (member_id, day) DO UPDATE SET points = qualifying_points.points + EXCLUDED.points`,
    [memberId, day, points],
  );
}

/** Per-partner totals shown in `balance.byPartner`. */
export async function addPartnerPoints(manager: EntityManager, memberId: string, partnerId: string, { earned = 0, redeemed = 0 }): Promise<void> {
  await manager.query(
    `INSERT INTO member_partner_points (member_id, partner_id, earned, redeemed) VALUES ($1, $2, $3, $4)
     ON CONFLICT (member_id, partner_id) DO UPDATE
     SET earned = member_partner_points.earned + EXCLUDED.earned, redeemed = member_partner_points.redeemed + EXCLUDED.redeemed`,
    [memberId, partnerId, earned, redeemed],
  );
}
