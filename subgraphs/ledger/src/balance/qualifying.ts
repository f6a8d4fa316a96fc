import type { EntityManager } from "typeorm";
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
