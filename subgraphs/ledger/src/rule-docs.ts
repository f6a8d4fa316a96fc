import { DEFAULT_POINTS_EXPIRY_MONTHS, DEFAULT_TRANSFER_DAILY_LIMIT, MAX_BACKDATE_DAYS, MEMBER_POINTS_CAP, QUALIFYING_WINDOW_MONTHS, TIER_MULTIPLIER_PERCENT, TIER_THRESHOLDS } from "./rules";

/** The rules' numbers as the schema descriptions state them: generated from ./rules, never typed twice. */

/** A rule's number as the descriptions write it: 10,000. */
export const n = (value: number) => value.toLocaleString("en-US");

/** "SILVER 5,000, GOLD 20,000, PLATINUM 50,000" */
export const TIER_THRESHOLDS_TEXT = TIER_THRESHOLDS.slice(1).map((t) => `${t.tier} ${n(t.threshold)}`).join(", ");

/** "SILVER ×1.25, GOLD ×1.5, PLATINUM ×2" */
export const TIER_MULTIPLIERS_TEXT = TIER_THRESHOLDS.slice(1).map((t) => `${t.tier} ×${TIER_MULTIPLIER_PERCENT[t.tier] / 100}`).join(", ");

export const QUALIFYING_WINDOW_TEXT = `the trailing ${QUALIFYING_WINDOW_MONTHS} months, to the second (a purchase counts until exactly ${QUALIFYING_WINDOW_MONTHS} months after it was made)`;

export const BACKDATE_TEXT = `at most ${MAX_BACKDATE_DAYS} days ago`;

export const EXPIRY_TEXT = `${DEFAULT_POINTS_EXPIRY_MONTHS} months after they were earned, by default (POINTS_EXPIRY_MONTHS)`;

/** "2,147,483,647" */
export const CAP_TEXT = n(MEMBER_POINTS_CAP);

/** "10,000" */
export const TRANSFER_DAILY_LIMIT_TEXT = n(DEFAULT_TRANSFER_DAILY_LIMIT);
