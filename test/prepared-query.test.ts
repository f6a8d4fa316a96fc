import { withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { PREPARED_POOL_SIZE, closePreparedQueries, preparedQueriesWaiting, preparedQuery } from "../shared/src/prepared-query";

/**
 * preparedQuery (shared/src/prepared-query.ts) on a real Postgres: the same answers as an ordinary
 * statement, planned once per connection with one generic plan, and inside a transaction on the
 * transaction's own connection (it sees the transaction's uncommitted rows).
 */
describe("preparedQuery", () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_prepared${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  const dataSource = createDataSource({ url, entities: [], migrations: [], log: createLogger("test"), poolSize: 2 });

  beforeAll(async () => {
    await ensureDatabase(url);
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE IF NOT EXISTS points (member_id int PRIMARY KEY, points int NOT NULL)`);
    await dataSource.query(`INSERT INTO points VALUES (1, 10), (2, 20), (3, 30) ON CONFLICT DO NOTHING`);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await closePreparedQueries(dataSource);
    await dropDatabase(url);
  });

  const SUM = `SELECT sum(points)::int AS total FROM points WHERE member_id = ANY($1::int[])`;

  it("answers as the ordinary statement does, call after call, with other values", async () => {
    for (let i = 0; i < 8; i++) {
      expect(await preparedQuery(dataSource, SUM, [[1, 2]])).toEqual([{ total: 30 }]);
      expect(await preparedQuery(dataSource, SUM, [[3]])).toEqual([{ total: 30 }]);
      expect(await preparedQuery(dataSource, SUM, [[]])).toEqual([{ total: null }]);
    }
    // Another text is another statement: never the first one's answer.
    expect(await preparedQuery(dataSource, `SELECT count(*)::int AS n FROM points WHERE member_id = ANY($1::int[])`, [[1, 2, 3]])).toEqual([{ n: 3 }]);
  });

  it("plans once per connection, one generic plan for every value", async () => {
    // The data source's own connections keep Postgres's default for everything else.
    const own = await dataSource.query(`SHOW plan_cache_mode`);
    expect(own).toEqual([{ plan_cache_mode: "auto" }]);
    // The prepared reads' connection (one at a time here, so the same one): the statement is prepared there, run with a generic plan.
    const rows = await preparedQuery<{ mode: string; prepared: boolean; generic: string }>(
      dataSource,
      `SELECT current_setting('plan_cache_mode') AS mode,
              EXISTS (SELECT 1 FROM pg_prepared_statements WHERE statement LIKE '%sum(points)%') AS prepared,
              coalesce((SELECT sum(generic_plans) FROM pg_prepared_statements WHERE statement LIKE '%sum(points)%'), 0)::text AS generic`,
      [],
    );
    expect(rows[0].mode).toBe("force_generic_plan");
    expect(rows[0].prepared).toBe(true);
    expect(Number(rows[0].generic)).toBeGreaterThan(0);
  });

  it("inside a transaction: on its connection, seeing what it has not committed", async () => {
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO points VALUES (4, 40)`);
      expect(await preparedQuery(manager, SUM, [[4]])).toEqual([{ total: 40 }]);
      await manager.query(`DELETE FROM points WHERE member_id = 4`);
    });
    expect(await preparedQuery(dataSource, SUM, [[4]])).toEqual([{ total: null }]);
  });

  it("counts the reads waiting for a connection (what a subgraph's pool_full shedding adds to its pool's)", async () => {
    expect(PREPARED_POOL_SIZE).toBe(2);
    expect(preparedQueriesWaiting(dataSource)).toBe(0);
    // Two reads hold both connections for a while; three more wait behind them.
    const reads = Array.from({ length: 5 }, () => preparedQuery(dataSource, `SELECT pg_sleep(0.4)::text AS slept`, []));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(preparedQueriesWaiting(dataSource)).toBe(3);
    await Promise.all(reads);
    expect(preparedQueriesWaiting(dataSource)).toBe(0);
  });
});
