import { Client } from "pg";
import { withDatabase } from "../../shared/src/config";

async function rows<T>(service: string, suffix: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${service}${suffix}`) });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * The catalog and the ledger agree (read straight from both test databases): stock + live redemptions
 * = initial stock; every completed (or cancelled) redemption has exactly one captured hold and no other
 * redemption has one; every cancelled redemption gave its points back once.
 */
export async function expectCatalogConsistent(suffix = process.env.TEST_DATABASE_NAME_SUFFIX!): Promise<void> {
  const stock = await rows<{ id: string }>(
    "catalog",
    suffix,
    `SELECT r.id FROM rewards r WHERE r.initial_stock IS NOT NULL
       AND r.stock + (SELECT count(*) FROM redemptions d WHERE d.reward_id = r.id AND d.status IN ('PENDING', 'COMPLETED')) <> r.initial_stock`,
  );
  expect(stock).toEqual([]);
  const redemptions = await rows<{ id: string; status: string }>("catalog", suffix, `SELECT id, status FROM redemptions`);
  const holds = await rows<{ redemption_id: string; status: string }>("ledger", suffix, `SELECT redemption_id, status FROM holds`);
  const refunds = await rows<{ reference: string; n: number }>(
    "ledger",
    suffix,
    `SELECT reference, count(*)::int AS n FROM transactions WHERE reversal_reason = 'REDEMPTION_CANCELLED' GROUP BY reference`,
  );
  const captured = new Set(holds.filter((h) => h.status === "CAPTURED").map((h) => h.redemption_id));
  const spent = new Set(redemptions.filter((r) => r.status === "COMPLETED" || r.status === "CANCELLED").map((r) => r.id));
  expect([...captured].filter((id) => !spent.has(id))).toEqual([]); // no capture without a completed redemption
  expect([...spent].filter((id) => !captured.has(id))).toEqual([]); // every completed redemption was captured
  const cancelled = new Set(redemptions.filter((r) => r.status === "CANCELLED").map((r) => r.id));
  expect(refunds.filter((r) => !cancelled.has(r.reference) || r.n !== 1)).toEqual([]);
  expect([...cancelled].filter((id) => !refunds.some((r) => r.reference === id))).toEqual([]);
}
