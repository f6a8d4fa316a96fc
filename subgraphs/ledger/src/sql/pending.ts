/**
 * Pending points without reading every purchase inside a return window: whole future days come from
 * `pending_days` (kept by triggers, see the PendingDays migration), and only what becomes spendable
 * later today is read row by row. Both take a member id expression and the time parameter.
 *
 * Exact as long as points never expire before their return window ends (POINTS_EXPIRY_MONTHS is at
 * least 13, the longest window 365 days): a lot inside its window is then never past its expiry.
 */
const endOfDay = (now: string) => `((${now}::timestamptz AT TIME ZONE 'UTC')::date + 1)::timestamp AT TIME ZONE 'UTC'`;
const today = (now: string) => `(${now}::timestamptz AT TIME ZONE 'UTC')::date`;

/** Remaining points of the member's lots that are not spendable yet. */
export const pendingLotPointsSql = (member: string, now: string) => `(
  coalesce((SELECT sum(lot_points) FROM pending_days WHERE member_id = ${member} AND day > ${today(now)}), 0)
  + coalesce((SELECT sum(remaining) FROM lots WHERE member_id = ${member} AND available_at > ${now} AND available_at < ${endOfDay(now)}
              AND remaining > 0 AND expires_at > ${now}), 0))`;

/** Base points (less refunded ones) of the member's purchases still inside their return window. */
export const pendingBasePointsSql = (member: string, now: string) => `(
  coalesce((SELECT sum(base_points) FROM pending_days WHERE member_id = ${member} AND day > ${today(now)}), 0)
  + coalesce((SELECT sum(base_points - reversed_base_points) FROM purchases WHERE member_id = ${member}
              AND available_at > ${now} AND available_at < ${endOfDay(now)}), 0))`;

/** Remaining points of the member's lots past their expiry that the expiry run has not posted yet: never spendable. */
export const expiredLotPointsSql = (member: string, now: string) =>
  `coalesce((SELECT sum(remaining) FROM lots WHERE member_id = ${member} AND expires_at <= ${now} AND remaining > 0), 0)`;

/** Points reserved by the member's live redemption holds (HELD and not past their expiry; an expired one releases itself). */
export const heldPointsSql = (member: string, now: string) =>
  `coalesce((SELECT sum(points) FROM holds WHERE member_id = ${member} AND status = 'HELD' AND expires_at > ${now}), 0)`;
