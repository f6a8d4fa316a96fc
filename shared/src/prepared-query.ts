import { createHash } from "node:crypto";
import { Pool, type QueryResultRow } from "pg";
import { DataSource, type EntityManager } from "typeorm";
import { sqlStatements } from "./database";

/** Connections per process for prepared reads, beside the data source's own pool: a read takes well under a millisecond. */
export const PREPARED_POOL_SIZE = 2;

const names = new Map<string, string>();
const pools = new WeakMap<DataSource, Pool>();

/** A statement's name: from its text, so one name never stands for two texts (pg refuses that). */
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `coalition_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    if (names.size < 1_000) names.set(text, name);
  }
  return name;
}

/**
 * The data source's database with the same timeouts, on connections that plan each prepared statement
 * once, for all values (`plan_cache_mode=force_generic_plan`: left to itself Postgres kept planning
 * these afresh on every call, judging a plan for one member dearer than one for any number).
 */
function preparedPool(dataSource: DataSource): Pool {
  let pool = pools.get(dataSource);
  if (!pool) {
    const { url, extra } = dataSource.options as { url?: string; extra?: Record<string, unknown> };
    pool = new Pool({ ...extra, connectionString: url, max: PREPARED_POOL_SIZE, options: "-c plan_cache_mode=force_generic_plan", allowExitOnIdle: true });
    // An idle connection the server dropped (a restart) is discarded by the pool; its error must not end the process.
    pool.on("error", () => {});
    pools.set(dataSource, pool);
  }
  return pool;
}

/**
 * A read Postgres parses and plans once per connection (a named prepared statement with one generic
 * plan), then only runs with new values, where TypeORM's `query` has it planned on every call. For the
 * hottest reads whose planning costs more than their running, and whose best plan does not depend on
 * the values (lookups by member id): a member's standing (the ledger) took 1.3 ms to plan and 0.4 ms to
 * run per headline, eligible rewards (the catalog) 0.4 and 0.1 ms. Inside a transaction it is an
 * ordinary statement on the transaction's connection. Not through a pooler in transaction mode
 * (PgBouncer), which does not keep prepared statements.
 */
export async function preparedQuery<Row extends QueryResultRow>(source: DataSource | EntityManager, text: string, values: unknown[]): Promise<Row[]> {
  // Inside a transaction: on the transaction's own connection, as an ordinary statement.
  if (!(source instanceof DataSource) && source.queryRunner) return source.query(text, values);
  sqlStatements.total++;
  return (await preparedPool(source instanceof DataSource ? source : source.connection).query<Row>({ name: nameOf(text), text, values })).rows;
}

/**
 * Prepared reads waiting for one of this data source's prepared-read connections (0 before the first
 * read): a subgraph counts them with its pool's own waiting queries when it decides the database is
 * too busy to take a request (DB_POOL_MAX_WAITING, run-subgraph.ts).
 */
export const preparedQueriesWaiting = (dataSource: DataSource): number => pools.get(dataSource)?.waitingCount ?? 0;

/** Closes the data source's prepared-read connections (at shutdown, beside `dataSource.destroy()`). */
export async function closePreparedQueries(dataSource: DataSource): Promise<void> {
  const pool = pools.get(dataSource);
  pools.delete(dataSource);
  await pool?.end();
}
