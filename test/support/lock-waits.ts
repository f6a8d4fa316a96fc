import { Client } from "pg";

const LOCK_WAITS = `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sessions waiting on a lock in the databases `clients` are connected to: how race tests hold a row
 * with a session of their own and know when the requests they started queue behind it (or behind
 * each other) before they release it.
 */
export function lockWaits(...clients: Client[]) {
  const count = async () => {
    let waiting = 0;
    for (const client of clients) waiting += Number((await client.query(LOCK_WAITS)).rows[0].count);
    return waiting;
  };
  /** Polls every 20 ms, `tries` times at most, until `n` sessions wait; fails the test if they never do. */
  const until = async (n: number, tries = 150) => {
    for (let i = 0; i < tries && (await count()) < n; i++) await sleep(20);
    expect(await count()).toBeGreaterThanOrEqual(n);
  };
  return { count, until };
}

/**
 * A session of the test's own holding the rows `sql` locks (a SELECT … FOR UPDATE) until `release`
 * commits; `end` (in a finally) rolls back whatever is still held and disconnects.
 */
export async function holdRows(connectionString: string, sql: string, params: unknown[] = []) {
  const holder = new Client({ connectionString });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query(sql, params);
  return {
    release: async () => void (await holder.query("COMMIT")),
    end: async () => {
      await holder.query("ROLLBACK").catch(() => undefined);
      await holder.end();
    },
  };
}
