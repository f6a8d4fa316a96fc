import DataLoader from "dataloader";
import type { EntityManager } from "typeorm";
import { groupLoader } from "../../../../shared/src/loaders";
import { preparedQuery } from "../../../../shared/src/prepared-query";
import { isUuid } from "../../../../shared/src/validation";
import type { Clock } from "../clock";
import { availablePoints, expiringSoonUntil, qualifyingWindowStart } from "../rules";
import { expiredLotPointsSql, heldPointsSql, pendingLotPointsSql } from "../sql/pending";
import { QUALIFYING_SQL } from "../sql/qualifying";

export interface Standing {
  balance: number;
  /** Spendable points: balance less pending and expired-but-not-yet-posted points; negative while in debt. */
  available: number;
  pending: number;
  held: number;
  qualifying: number;
  lifetimeEarned: number;
  lifetimeRedeemed: number;
}

const ZERO: Standing = { balance: 0, available: 0, pending: 0, held: 0, qualifying: 0, lifetimeEarned: 0, lifetimeRedeemed: 0 };

/**
 * Everything the balance and tier fields need, for many members in one statement, from running state
 * only: the account row, lots inside a return window or past expiry, at most 366 daily qualifying
 * buckets and the purchases of the day the qualifying window starts in, and one row per partner. Never the history.
 */
export function createStandingLoader(manager: EntityManager, clock: Clock) {
  return new DataLoader<string, Standing>(async (memberIds) => {
    const now = clock.now();
    const rows = await preparedQuery<Record<string, string>>(
      manager,
      `WITH q AS (${QUALIFYING_SQL})
       SELECT q.member_id, q.qualifying,
              coalesce(a.balance, 0) AS balance,
              coalesce(held.pending, 0) AS pending,
              coalesce(held.expired, 0) AS expired,
              coalesce(held.held, 0) AS held,
              coalesce(mp.earned, 0) AS lifetime_earned,
              coalesce(mp.redeemed, 0) AS lifetime_redeemed
       FROM q
       LEFT JOIN accounts a ON a.kind = 'MEMBER' AND a.owner_id = q.member_id
       -- Future days from pending_days, today's and past-expiry lots by index range scans: never all of a member's open lots.
       LEFT JOIN LATERAL (
         SELECT ${pendingLotPointsSql("q.member_id", "$2")} AS pending, ${expiredLotPointsSql("q.member_id", "$2")} AS expired,
                ${heldPointsSql("q.member_id", "$2")} AS held
       ) held ON true
       LEFT JOIN LATERAL (
         SELECT sum(earned) AS earned, sum(redeemed) AS redeemed FROM member_partner_points WHERE member_id = q.member_id
       ) mp ON true`,
      [memberIds.filter(isUuid), now, qualifyingWindowStart(now)],
    );
    const byMember = new Map(rows.map((row) => [row.member_id, row]));
    return memberIds.map((id) => {
      const row = byMember.get(id.toLowerCase());
      if (!row) return ZERO;
      const balance = Number(row.balance);
      const holdings = { pending: Number(row.pending), expired: Number(row.expired), held: Number(row.held) };
      return {
        balance,
        available: availablePoints(balance, holdings),
        pending: holdings.pending,
        held: holdings.held,
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
      preparedQuery<PartnerPointsRow>(
        manager,
        `SELECT member_id, partner_id, earned, redeemed FROM member_partner_points
         WHERE member_id = ANY($1::uuid[]) ORDER BY earned DESC, redeemed DESC, partner_id`,
        [memberIds.filter(isUuid)],
      ),
    (row) => row.member_id,
    (memberId) => memberId.toLowerCase(),
  );

export interface ExpiringRow {
  member_id: string;
  points: number;
  expires_at: Date;
}

/** Each member's lots expiring within the next EXPIRING_SOON_DAYS (rules/expiry.ts), soonest first. */
export const createExpiringSoonLoader = (manager: EntityManager, clock: Clock) =>
  groupLoader(
    (memberIds: string[]): Promise<ExpiringRow[]> => {
      const now = clock.now();
      return manager.query(
        `SELECT member_id, remaining AS points, expires_at FROM lots
         WHERE member_id = ANY($1::uuid[]) AND remaining > 0 AND expires_at > $2 AND expires_at <= $3
         ORDER BY expires_at, id`,
        [memberIds.filter(isUuid), now, expiringSoonUntil(now)],
      );
    },
    (row) => row.member_id,
    (memberId) => memberId.toLowerCase(),
  );
