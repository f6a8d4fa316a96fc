/**
 * The ledger's program rules, in one place: pure functions and constants, no database, TypeORM,
 * type-graphql or GraphQL. Services, the SQL the ledger installs (../sql), the seeders and
 * `ledger:verify` use them; test/unit/ledger-rules.test.ts checks each against numbers written out by hand.
 *
 * - earn.ts       the earn formula and its rounding
 * - tiers.ts      tier thresholds, multipliers (bonus rounding), progress
 * - windows.ts    the qualifying window (to the second), the pending (return) window, late purchases
 * - expiry.ts     when points expire (POINTS_EXPIRY_MONTHS)
 * - debt.ts       arriving spendable points repay debt first, then become lots
 * - holdings.ts   available points: the balance less pending, expired and held points
 * - refunds.ts    refund clawback shares and their rounding, and the order points are taken in
 * - transfers.ts  transfer limits
 * - cap.ts        the member points cap (MEMBER_POINTS_CAP)
 * - calendar.ts   month and day arithmetic in UTC
 * - campaigns.ts  campaign bonuses: matching windows, percent rounding, budget and member caps, order
 * - adjustments.ts what a customer care adjustment may be (reasons, size, note)
 * - erasure.ts    what an erased member forfeits, and to whom; what is left of their adjustments' notes;
 *                 the referrer's pending referral bonus their erasure withdraws
 * - clearing.ts   the clearing house: statement lines, prices, rounding, statement figures
 * - clearing-periods.ts  settlement periods (YYYY-MM), terms limits, canonical text
 * - clearing-statement.ts  a statement from its totals (live, closed and audited alike), counterparts, report totals
 */
export * from "./adjustments";
export * from "./calendar";
export * from "./campaigns";
export * from "./cap";
export * from "./debt";
export * from "./earn";
export * from "./erasure";
export * from "./expiry";
export * from "./holdings";
export * from "./refunds";
export * from "./tiers";
export * from "./transfers";
export * from "./windows";
export * from "./clearing";
export * from "./clearing-periods";
export * from "./clearing-statement";
