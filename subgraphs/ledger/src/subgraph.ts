import { requestIdOf } from "../../../shared/src/request-id";
import type { Subgraph } from "../../../shared/src/subgraph-definition";
import { AdjustableClock, type Clock, systemClock } from "./clock";
import { recordSettlementCurrency } from "./clearing/settlement-currency";
import { type Context, createContext } from "./context";
import { entities, migrations } from "./data-source";
import { buildSchema } from "./schema";
import { insightsMinGroup, pointsExpiryMonths, referralBonusPoints, referralMaxPerMember, settlementCurrency, transferDailyLimit } from "./settings";

/**
 * Tests move time forward (return windows, expiry, the tier window) instead of sleeping; never in
 * production. One per process: every request's context and main.ts's expiry schedule read it.
 */
export const testClock = process.env.LEDGER_TEST_CLOCK === "1" && process.env.NODE_ENV !== "production" ? new AdjustableClock() : null;
export const clock: Clock = testClock ?? systemClock;

/** The ledger subgraph: what its process (main.ts), the tools and the bench use of it. */
export const subgraph: Subgraph<Context> = {
  name: "ledger",
  entities,
  migrations,
  buildSchema,
  createContext: (dataSource, req, identity) => createContext(dataSource, identity, clock, requestIdOf(req)),
  settings: ["EXPIRY_RUN_SECONDS", "HOLD_TTL_SECONDS", "INSIGHTS_MIN_GROUP", "PARTNER_CACHE_SECONDS", "POINTS_EXPIRY_MONTHS", "PURCHASE_GROUP_MAX", "PURCHASE_WRITE_GROUPS", "REFERRAL_BONUS_POINTS", "REFERRAL_MAX_PER_MEMBER", "SETTLEMENT_CURRENCY", "TRANSFER_DAILY_LIMIT"],
  // Each read once, here at start (settings.ts). A currency is no number (SETTLEMENT_CURRENCY=USD was refused as one), and two have ranges of their own.
  settingReaders: {
    INSIGHTS_MIN_GROUP: insightsMinGroup,
    POINTS_EXPIRY_MONTHS: pointsExpiryMonths,
    REFERRAL_BONUS_POINTS: referralBonusPoints,
    REFERRAL_MAX_PER_MEMBER: referralMaxPerMember,
    SETTLEMENT_CURRENCY: settlementCurrency,
    TRANSFER_DAILY_LIMIT: transferDailyLimit,
  },
  // SETTLEMENT_CURRENCY against the currency the database's amounts are in: recorded at first start, another refused.
  checkDatabase: recordSettlementCurrency,
};

export type { Context };
/** Bulk seeding (tools/seed): the ledger's own rows, and what it must answer for a seeded member. */
export { ledgerPurchaseCount, prepareLedgerPartners, seededLedgerMembers, writeLedgerBatch } from "./seed/bulk-seed";
export { type EarnedPurchase, type ExpectedStanding, earnPurchases, standingAt } from "./seed/earnings";
/** How long earned points live (the seeder dates its lots with it). */
export { pointsExpiryMonths } from "./settings";
/** The purchase hot path called straight on the database, and what a purchase is priced with (the bench's direct record_purchases baseline). */
export { type PurchaseToWrite, writePurchases } from "./purchase/purchase-writer";
/** The bench weighs the clearing house's valuation by swapping record_purchases for its text without it (bench/valuation.ts). */
export { type FunctionDefinition, createFunctionSql, replaceFunctionSql } from "./sql/function-definition";
export { RECORD_PURCHASES, RECORD_PURCHASES_WITHOUT_VALUATION } from "./sql/record-purchases";
export { fingerprint } from "./journal/journal";
export { availableAt, basePointsForPurchase, expiresAt, pointsExpiryMonthsOf } from "./rules";
