import DataLoader from "dataloader";
import type { EntityManager } from "typeorm";
import { groupLoader } from "../../../../shared/src/loaders";
import { isUuid } from "../../../../shared/src/validation";
import type { Clock } from "../clock";

export interface Standing {
  balance: number;
  pending: number;
  qualifying: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
}

/**
 * Balance, pending, qualifying and lifetime points of many members in one statement, from running
 * state only: the account balance, pending lots (at most a return window's worth), at most 366 daily
 * qualifying buckets, and one row per partner.
 */
export function createStandingLoader(manager: EntityManager, clock: Clock) {
  return new DataLoader<string, Standing>(async (memberIds) => {
    const now = clock.now();
    const rows: Record<string, string>[] = await manager.query(
      `SELECT m.member_id,
              coalesce(a.balance, 0) AS balance,
              coalesce(pending.points, 0) AS pending,
              coalesce(q.points, 0) - coalesce(pending.qualifying, 0) AS qualifying,
              coalesce(mp.earned, 0) AS lifetime_earned,
              coalesce(mp.redeemed, 0) AS lifetime_redeemed
       FROM unnest($1::uuid[]) AS m(member_id)
       LEFT JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = m.member_id
       LEFT JOIN LATERAL (
         SELECT sum(remaining) AS points,
                sum(points) FILTER (WHERE earned_at > $2::timestamptz - interval '12 months') AS qualifying
         FROM earn_lots WHERE member_id = m.member_id AND available_at > $2
       ) pending ON true
       LEFT JOIN LATERAL (
         SELECT sum(points) AS points FROM qualifying_points
         WHERE member_id = m.member_id AND day > (($2::timestamptz - interval '12 months') AT TIME ZONE 'UTC')::date
       ) q ON true
       LEFT JOIN LATERAL (
         SELECT sum(earned) AS earned, sum(redeemed) AS redeemed FROM member_partner_points WHERE member_id = m.member_id
       ) mp ON true`,
      [memberIds.filter(isUuid), now],
    );
    const byMember = new Map(rows.map((row) => [row.member_id, row]));
    return memberIds.map((id) => {
      const row = byMember.get(id.toLowerCase());
      if (!row) return { balance: 0, pending: 0, qualifying: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 };
      return {
        balance: Number(row.balance),
        pending: Number(row.pending),
        qualifying: Number(row.qualifying),
        lifetimeEarned: Number(row.lifetime_earned),
        lifetimeRedeemed: Number(row.lifetime_redeemed),
      };
    });
  });
}

export interface PartnerPointsRow {
  member_id: string;
  partner_id: string;
  earned: string;
  redeemed: string;
}

/** Each member's points per partner, most earned first. */
export const createPartnerPointsLoader = (manager: EntityManager) =>
  groupLoader(
    (memberIds: string[]): Promise<PartnerPointsRow[]> =>
      manager.query(
        `SELECT member_id, partner_id, earned, redeemed FROM member_partner_points
         WHERE member_id = ANY($1::uuid[]) ORDER BY earned DESC, redeemed DESC, partner_id`,
        [memberIds.filter(isUuid)],
      ),
    (row) => row.member_id,
    (memberId) => memberId.toLowerCase(),
  );
