import { DEFAULT_POINTS_EXPIRY_MONTHS, DEFAULT_TRANSFER_DAILY_LIMIT, MAX_BACKDATE_DAYS, MEMBER_POINTS_CAP, QUALIFYING_WINDOW_MONTHS, TIER_MULTIPLIER_PERCENT, TIER_THRESHOLDS } from "./rules";

/** The rules' numbers as the schema descriptions state them: generated from ./rules, never typed twice. */

/** A rule's number as the descriptions write it: 10,000. */
export const n = (value: number) => value.toLocaleString("en-US");

/** "SILVER 5,000, GOLD 20,000, PLATINUM 50,000" */
export const TIER_THRESHOLDS_TEXT = TIER_THRESHOLDS.slice(1).map((t) => `${t.tier} ${n(t.threshold)}`).join(", ");

/** "SILVER ×1.25, GOLD ×1.5, PLATINUM ×2" */
export const TIER_MULTIPLIERS_TEXT = TIER_THRESHOLDS.slice(1).map((t) => `${t.tier} ×${TIER_MULTIPLIER_PERCENT[t.tier] / 100}`).join(", ");

/** The window as rules/windows.ts applies it (earnedAt > now − 12 months), with the 29 February edges test/unit/rule-docs.test.ts checks. */
export const QUALIFYING_WINDOW_TEXT =
  `the trailing ${QUALIFYING_WINDOW_MONTHS} months, to the second (a purchase made at T counts while T is after now − ${QUALIFYING_WINDOW_MONTHS} months: ` +
  `until T + ${QUALIFYING_WINDOW_MONTHS} months, exclusive, except around 29 February, where months do not add back: one made on 29 February 2024 counts ` +
  `until 1 March 2025 00:00 UTC, one made on 28 February 2023 at noon until 29 February 2024 at noon, without a gap: the window never moves backwards)`;

export const BACKDATE_TEXT = `at most ${MAX_BACKDATE_DAYS} days ago`;

export const EXPIRY_TEXT = `${DEFAULT_POINTS_EXPIRY_MONTHS} months after they were earned, by default (POINTS_EXPIRY_MONTHS)`;

/** "2,147,483,647" */
export const CAP_TEXT = n(MEMBER_POINTS_CAP);

/** "10,000" */
export const TRANSFER_DAILY_LIMIT_TEXT = n(DEFAULT_TRANSFER_DAILY_LIMIT);
