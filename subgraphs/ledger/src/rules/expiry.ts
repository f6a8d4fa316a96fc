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
