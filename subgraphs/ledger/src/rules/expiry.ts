import { addMonths } from "./calendar";
import { MAX_RETURN_WINDOW_DAYS } from "./windows";

/** Points expire this many months after they were earned (POINTS_EXPIRY_MONTHS), unless configured otherwise. */
export const DEFAULT_POINTS_EXPIRY_MONTHS = 24;
/** Points must outlive the longest return window (365 days), which the pending-points sums rely on. */
export const MIN_POINTS_EXPIRY_MONTHS = 13;

/** The expiry months of a setting (the environment's POINTS_EXPIRY_MONTHS, raw): a bad one is refused with the variable's name. */
export function pointsExpiryMonthsOf(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_POINTS_EXPIRY_MONTHS;
  const months = Number(raw);
  if (!Number.isInteger(months) || months < MIN_POINTS_EXPIRY_MONTHS) {
    throw new Error(
      `POINTS_EXPIRY_MONTHS must be a whole number of at least ${MIN_POINTS_EXPIRY_MONTHS} (points must outlive a ${MAX_RETURN_WINDOW_DAYS}-day return window), got "${raw}"`,
    );
  }
  return months;
}

/** When points earned at `earnedAt` expire: the same instant, `months` later (UTC, clamped to the month's end). */
export const expiresAt = (earnedAt: Date, months: number): Date => addMonths(earnedAt, months);

/** `balance.expiringSoon` lists points expiring within this many days. */
export const EXPIRING_SOON_DAYS = 90;

/** The end (inclusive) of the "expiring soon" horizon at `now`. */
export const expiringSoonUntil = (now: Date): Date => new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000);

/**
 * The same rule as SQL (test/ledger-sql.test.ts evaluates it in Postgres against `expiresAt`): `months`
 * calendar months after `earnedAt`, counted in UTC whatever the session's time zone (a timestamptz
 * plus months follows the session's zone), clamped to the month's end as `addMonths` is.
 */
export const expiresAtSql = (earnedAt: string, months: string) =>
  `((${earnedAt} AT TIME ZONE 'UTC') + make_interval(months => ${months})) AT TIME ZONE 'UTC'`;

/**
 * The expiry months of a lot written by `expiresAt` (the POINTS_EXPIRY_MONTHS it was written with), from
 * its earned and expiry times: the calendar months between them in UTC. Exact, as `addMonths` only ever
 * clamps the day, never the month. For SQL that has a purchase's dates but not the setting (referral bonuses).
 */
export const expiryMonthsOfSql = (earnedAt: string, expiresAt: string) => {
  const monthIndex = (at: string) => `(extract(year FROM ${at} AT TIME ZONE 'UTC') * 12 + extract(month FROM ${at} AT TIME ZONE 'UTC'))`;
  return `(${monthIndex(expiresAt)} - ${monthIndex(earnedAt)})::int`;
};
