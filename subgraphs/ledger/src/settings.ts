import { intFromEnv } from "../../../shared/src/config";
import { DEFAULT_INSIGHTS_MIN_GROUP, MIN_INSIGHTS_MIN_GROUP } from "./insights/suppression";
import { DEFAULT_TRANSFER_DAILY_LIMIT, MAX_BONUS_POINTS, REFERRAL_BONUS_POINTS_DEFAULT, REFERRAL_MAX_PER_MEMBER_DEFAULT, pointsExpiryMonthsOf, settlementCurrencyOf } from "./rules";

/**
 * The ledger's own settings (read from the environment; the rules they parameterise are in ./rules).
 * Read when the ledger (or a tool) starts: a bad value stops it there, naming the variable.
 */

/**
 * Read on first use, then kept for the process: the first use is the start-up check (subgraph.ts,
 * `settingReaders`), so no request reads the environment again, and a bad value throws there, named,
 * before anything is kept. Never called at import: a throw there was a stack trace, not a named setting.
 */
const once = <T>(read: () => T): (() => T) => {
  let kept: { value: T } | undefined;
  return () => (kept ??= { value: read() }).value;
};

/** POINTS_EXPIRY_MONTHS (24): how long earned points live, at least 13 months. */
export const pointsExpiryMonths = once((): number => pointsExpiryMonthsOf(process.env.POINTS_EXPIRY_MONTHS));

/** TRANSFER_DAILY_LIMIT (10,000): points a member may send a UTC day. */
export const transferDailyLimit = once((): number => intFromEnv("TRANSFER_DAILY_LIMIT", DEFAULT_TRANSFER_DAILY_LIMIT));

/** INSIGHTS_MIN_GROUP (10): the smallest group of members a partner insight may count (values below 2 count as 2). */
export const insightsMinGroup = once((): number => Math.max(MIN_INSIGHTS_MIN_GROUP, intFromEnv("INSIGHTS_MIN_GROUP", DEFAULT_INSIGHTS_MIN_GROUP)));

/** REFERRAL_BONUS_POINTS (500): what a referral gives each of the two members, 1 to 1,000,000. */
export const referralBonusPoints = once((): number => {
  const value = intFromEnv("REFERRAL_BONUS_POINTS", REFERRAL_BONUS_POINTS_DEFAULT);
  if (value < 1 || value > MAX_BONUS_POINTS) throw new Error(`REFERRAL_BONUS_POINTS must be between 1 and ${MAX_BONUS_POINTS}, got ${value}`);
  return value;
});

/** REFERRAL_MAX_PER_MEMBER (20): how many referred members earn their referrer a bonus. */
export const referralMaxPerMember = once((): number => intFromEnv("REFERRAL_MAX_PER_MEMBER", REFERRAL_MAX_PER_MEMBER_DEFAULT));

/** SETTLEMENT_CURRENCY (EUR): the one currency the clearing house's prices and statements are in. */
export const settlementCurrency = once((): string => settlementCurrencyOf(process.env.SETTLEMENT_CURRENCY));
/** Whether SETTLEMENT_CURRENCY is set (not empty), rather than left to the default: a database with amounts and none recorded needs it named. */
export const settlementCurrencyNamed = once((): boolean => Boolean(process.env.SETTLEMENT_CURRENCY?.trim()));
