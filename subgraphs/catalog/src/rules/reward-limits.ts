/**
 * What a reward may be (createReward): the one home of these limits in the catalog; the input check and
 * the schema descriptions read them, README "Ranges" states them (test/unit/readme-rules.test.ts), and
 * the ledger's hold accepts at least MAX_COST_POINTS (test/unit/cross-service-rules.test.ts).
 */
export const MAX_COST_POINTS = 10_000_000;
/** Vouchers a reward may have: 0 to this; none (null) is unlimited. */
export const MAX_STOCK = 1_000_000;
/** maxPerMember: 1 to this; none (null) is no limit. */
export const MAX_PER_MEMBER_LIMIT = 1_000;
