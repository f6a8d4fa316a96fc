import { Client } from "pg";
import { SUBGRAPH_NAMES, type SubgraphName, withDatabase } from "../shared/src/config";
import { createDataSource, dropDatabase, ensureDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { migrations as ledgerMigrations } from "../subgraphs/ledger/src/data-source";
import { TIME_ORDERED_UUID_BODY, timeOfTimeOrderedUuid } from "../shared/src/time-ordered-ids";

/**
 * New ids of the append-only tables are time-ordered UUIDs (shared/src/time-ordered-ids.ts), in every
 * service's database, made by the function the code defines.
 */
const TIME_ORDERED: Record<SubgraphName, string[]> = {
  ledger: ["audit_events", "postings", "transactions"],
  members: ["audit_events"],
  catalog: ["audit_events"],
  partners: ["audit_events"],
};
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const clients = new Map<SubgraphName, Client>();
beforeAll(async () => {
  for (const name of SUBGRAPH_NAMES) {
    const client = new Client({ connectionString: withDatabase(process.env.TEST_DATABASE_URL!, `coalition_${name}${process.env.TEST_DATABASE_NAME_SUFFIX}`) });
    await client.connect();
    clients.set(name, client);
  }
});
afterAll(async () => {
  for (const client of clients.values()) await client.end();
});

describe.each(SUBGRAPH_NAMES)("the %s database", (name) => {
  const db = () => clients.get(name)!;
  const dbMillis = async () => Number((await db().query(`SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms`)).rows[0].ms);

  it("has time_ordered_uuid() as the code defines it, and as the default id of its append-only tables", async () => {
    const { rows: functions } = await db().query(`SELECT prosrc, provolatile FROM pg_proc WHERE proname = 'time_ordered_uuid' AND pronamespace = 'public'::regnamespace`);
    expect(functions).toEqual([{ prosrc: TIME_ORDERED_UUID_BODY, provolatile: "v" }]);
    const { rows } = await db().query(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' AND column_default = 'time_ordered_uuid()' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(TIME_ORDERED[name]);
  });

  it("makes version 7 ids that carry the millisecond they were made in", async () => {
    const before = await dbMillis();
    const { rows } = await db().query(`SELECT time_ordered_uuid()::text AS id FROM generate_series(1, 500)`);
    const after = await dbMillis();
    const ids: string[] = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(500);
    for (const id of ids) {
      expect(id).toMatch(V7);
      expect(timeOfTimeOrderedUuid(id)).toBeGreaterThanOrEqual(before);
      expect(timeOfTimeOrderedUuid(id)).toBeLessThanOrEqual(after);
    }
  });

  it("orders ids made in later milliseconds after earlier ones, as uuids and as text", async () => {
    const { rows } = await db().query(`SELECT time_ordered_uuid() AS a, pg_sleep(0.003), time_ordered_uuid() AS b`);
    const { rows: compared } = await db().query(`SELECT $1::uuid < $2::uuid AS before`, [rows[0].a, rows[0].b]);
    expect(compared[0].before).toBe(true);
    expect(rows[0].a < rows[0].b).toBe(true);
  });
});

it("a transaction the ledger writes gets a time-ordered id, of the millisecond it was written in", async () => {
  const ledger = clients.get("ledger")!;
  const millis = async () => Number((await ledger.query(`SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms`)).rows[0].ms);
  await ledger.query("BEGIN");
  try {
    const before = await millis();
    const { rows } = await ledger.query(`INSERT INTO transactions (kind, idempotency_key, fingerprint, occurred_at) VALUES ('ADJUSTMENT', $1, 'f', now()) RETURNING id::text`, [
      `time-ordered-id-test:${Date.now()}`,
    ]);
    const after = await millis();
    expect(rows[0].id).toMatch(V7);
    expect(timeOfTimeOrderedUuid(rows[0].id)).toBeGreaterThanOrEqual(before);
    expect(timeOfTimeOrderedUuid(rows[0].id)).toBeLessThanOrEqual(after);
  } finally {
    await ledger.query("ROLLBACK");
  }
});

it("TimeOrderedIds1734600000000's down() gives the ledger's tables random ids again and drops the function; up() again restores them", async () => {
  const url = withDatabase(process.env.TEST_DATABASE_URL!, `coalition_ledger_time_ids${process.env.TEST_DATABASE_NAME_SUFFIX}`);
  await dropDatabase(url);
  await ensureDatabase(url);
  // Only the migrations up to TimeOrderedIds: undoing the last one then undoes it, whatever migrations come after it.
  const upToTimeOrderedIds = ledgerMigrations.slice(0, ledgerMigrations.findIndex((m) => m.name === "TimeOrderedIds1734600000000") + 1);
  expect(upToTimeOrderedIds.at(-1)?.name).toBe("TimeOrderedIds1734600000000");
  const db = createDataSource({ url, entities: [], migrations: upToTimeOrderedIds, log: createLogger("test"), poolSize: 1 });
  await db.initialize();
  const defaults = async () =>
    (await db.query(`SELECT table_name, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1) AND column_name = 'id' ORDER BY 1`, [
      TIME_ORDERED.ledger,
    ])) as { table_name: string; column_default: string }[];
  const functionCount = async () => Number((await db.query(`SELECT count(*) AS n FROM pg_proc WHERE proname = 'time_ordered_uuid'`))[0].n);
  try {
    await db.runMigrations();
    expect((await defaults()).map((d) => d.column_default)).toEqual(["time_ordered_uuid()", "time_ordered_uuid()", "time_ordered_uuid()"]);
    await db.undoLastMigration();
    expect((await defaults()).map((d) => d.column_default)).toEqual(["gen_random_uuid()", "gen_random_uuid()", "gen_random_uuid()"]);
    expect(await functionCount()).toBe(0);
    await db.runMigrations();
    expect((await defaults()).map((d) => d.column_default)).toEqual(["time_ordered_uuid()", "time_ordered_uuid()", "time_ordered_uuid()"]);
    expect(await functionCount()).toBe(1);
  } finally {
    await db.destroy();
    await dropDatabase(url);
  }
});
