import { intFromEnv } from "../../../shared/src/config";
import { DEFAULT_TRANSFER_DAILY_LIMIT, pointsExpiryMonthsOf, settlementCurrencyOf } from "./rules";

/**
 * The ledger's own settings (read from the environment; the rules they parameterise are in ./rules).
 * Read when the ledger (or a tool) starts: a bad value stops it there, naming the variable.
 */

/** POINTS_EXPIRY_MONTHS (24): how long earned points live, at least 13 months. */
export const pointsExpiryMonths = (): number => pointsExpiryMonthsOf(process.env.POINTS_EXPIRY_MONTHS);

/** TRANSFER_DAILY_LIMIT (10,000): points a member may send a UTC day. */
export const transferDailyLimit = (): number => intFromEnv("TRANSFER_DAILY_LIMIT", DEFAULT_TRANSFER_DAILY_LIMIT);

/** SETTLEMENT_CURRENCY (EUR): the one currency the clearing house's prices and statements are in. */
export const settlementCurrency = (): string => settlementCurrencyOf(process.env.SETTLEMENT_CURRENCY);
