import { intFromEnv } from "../../../shared/src/config";
import { DEFAULT_INSIGHTS_MIN_GROUP, MIN_INSIGHTS_MIN_GROUP } from "./insights/suppression";
import { DEFAULT_TRANSFER_DAILY_LIMIT, pointsExpiryMonthsOf } from "./rules";

/**
 * The ledger's own settings (read from the environment; the rules they parameterise are in ./rules).
 * Read when the ledger (or a tool) starts: a bad value stops it there, naming the variable.
 */

/** POINTS_EXPIRY_MONTHS (24): how long earned points live, at least 13 months. */
export const pointsExpiryMonths = (): number => pointsExpiryMonthsOf(process.env.POINTS_EXPIRY_MONTHS);

/** TRANSFER_DAILY_LIMIT (10,000): points a member may send a UTC day. */
export const transferDailyLimit = (): number => intFromEnv("TRANSFER_DAILY_LIMIT", DEFAULT_TRANSFER_DAILY_LIMIT);

/** INSIGHTS_MIN_GROUP (10): the smallest group of members a partner insight may count (values below 2 count as 2). */
export const insightsMinGroup = (): number => Math.max(MIN_INSIGHTS_MIN_GROUP, intFromEnv("INSIGHTS_MIN_GROUP", DEFAULT_INSIGHTS_MIN_GROUP));
