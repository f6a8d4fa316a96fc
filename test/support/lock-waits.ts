import type { Client } from "pg";

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
