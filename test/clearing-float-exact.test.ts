import { randomUUID } from "node:crypto";
import { inLedgerTransaction } from "./support/clearing";
import { ok } from "./support/gateway";

/**
 * The float is a sum of every partner's net over every period up to one: "Figures are SafeInt
 * (refused, never rounded, past 2^53 − 1)" (README, Rounding). Three months of one partner's running
 * totals, each net within SafeInt, whose running sum passes 2^53 − 1 on the way: the float must be
 * the exact sum (2^53 − 1 cents), not one rounded in passing.
 */
it("sums the float exactly, never rounding a partial sum past 2^53 - 1", async () => {
  const partner = randomUUID();
  const exact = (cents: bigint) => (cents * 100_000n).toString(); // exact values are in 1/100,000 of a minor unit
  await inLedgerTransaction(async (db) => {
    for (const [period, line, cents] of [["2001-01-01", "PURCHASES_ISSUED", 9_007_199_254_740_991n], ["2001-02-01", "PURCHASES_ISSUED", 2n], ["2001-03-01", "REFUNDS", 2n]] as const) {
      await db.query(`INSERT INTO clearing_totals (period, partner_id, line, points, value, charged_value) VALUES ($1, $2, $3, 1, $4, $4)`, [period, partner, line, exact(cents)]);
    }
  });
  try {
    // 9,007,199,254,740,991 + 2 − 2 cents.
    expect((await ok(`query { clearing(period: "2001-03") { float } }`)).clearing.float).toBe(9_007_199_254_740_991);
  } finally {
    // Every later period's float sums these too: left in the suite's shared ledger, each one after passed 2^53 − 1 and was refused.
    await inLedgerTransaction((db) => db.query(`DELETE FROM clearing_totals WHERE partner_id = $1`, [partner]));
  }
});
