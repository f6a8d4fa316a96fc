/**
 * A partner's earn rule as `registerPartner` accepts it: the one home of these limits in the partners
 * service (the input check, the schema descriptions and the table's CHECK say them). The ledger
 * computes with them (subgraphs/ledger/src/rules: earn.ts's exact arithmetic at POINTS_PER_UNIT_DECIMALS,
 * windows.ts's MAX_RETURN_WINDOW_DAYS, which pending sums and the least expiry rely on) and, being
 * another service, states them again; test/unit/cross-service-rules.test.ts fails when the two differ.
 */

/** pointsPerUnit: greater than 0, at most this. */
export const MAX_POINTS_PER_UNIT = 1_000;
/** pointsPerUnit: at most this many decimals (the column is numeric(12,4)). */
export const POINTS_PER_UNIT_DECIMALS = 4;
/** returnWindowDays: 0 to this many days. */
export const MAX_RETURN_WINDOW_DAYS = 365;
