import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase, migrateDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations } from "../subgraphs/ledger/src/data-source";

/**
 * Two processes of one service that start together (two containers or hosts of it, a rolling deploy)
 * both migrate its database: they take turns, and the second finds nothing left to do. Before, both ran
 * the pending migrations at once and the second failed (relation "campaign_totals" already exists),
 * stopping that process.
 */
const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_migrate_twice${process.env.TEST_DATABASE_NAME_SUFFIX}`);
const log = createLogger("test");

beforeAll(async () => {
  await dropDatabase(url);
  await ensureDatabase(url);
});
afterAll(async () => {
  await dropDatabase(url);
});

it("migrates once when two processes start at the same time", async () => {
  const results = await Promise.allSettled([migrateDatabase({ url, entities: [], migrations, log }), migrateDatabase({ url, entities: [], migrations, log })]);
  expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok"]);
  const db = createDataSource({ url, entities: [], migrations, log, poolSize: 1 });
  await db.initialize();
  try {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM migrations`);
    expect(n).toBe(migrations.length);
  } finally {
    await db.destroy();
  }
}, 60_000);
