import { Client } from "pg";
import type { Socket } from "node:net";
import { DataSource, type Logger as TypeOrmLogger, type MixedList, type EntitySchema } from "typeorm";
import { loadSettings, readDatabaseSettings } from "./config";
import type { Logger } from "./logger";

/**
 * SQL statements this process has sent, counted for `/metrics`. The batching tests read it before and
 * after a request to prove that statements per request do not grow with the number of entities.
 */
export const sqlStatements = { total: 0 };

class CountingLogger implements TypeOrmLogger {
  constructor(private readonly logger: Logger) {}
  logQuery() {
    sqlStatements.total++;
  }
  logQueryError(error: string | Error, query: string) {
    sqlStatements.total++;
    this.logger.debug("query failed", { error: String(error), query });
  }
  logQuerySlow(time: number, query: string) {
    this.logger.warn("slow query", { ms: time, query });
  }
  logSchemaBuild() {}
  logMigration(message: string) {
    this.logger.info("migration", { message });
  }
  log(level: "log" | "info" | "warn", message: unknown) {
    if (level === "warn") this.logger.warn(String(message));
  }
}

export interface DataSourceOptions {
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  log: Logger;
  poolSize?: number;
  timeouts?: DatabaseTimeouts;
}

/** Milliseconds; 0 leaves that limit to the server's own setting (normally none). */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection (or for a new one to open): pg Pool's `connectionTimeoutMillis`. */
  connect: number;
  statement: number;
  lock: number;
  idleInTransaction: number;
}

/**
 * What a request may wait for, so that no request can hang a service: a full pool, a slow statement,
 * a row lock or a transaction left open all end in an error (UPSTREAM_UNAVAILABLE to the client, see
 * errors.ts) instead of a wait that never ends. The statement limits go to Postgres as connection
 * parameters, so every connection of the pool has them.
 */
export function serviceTimeouts(): DatabaseTimeouts {
  return loadSettings(readDatabaseSettings).timeouts;
}

/**
 * Migrations and operator tools (seed, ledger:verify, ledger:expire): their statements may rightly run
 * for minutes (an index on a big table, a full audit) and wait for live traffic's locks, so no
 * statement or lock limit, and so no read timeout either (readTimeoutOf): they give up on a database that
 * does not accept a connection (the connect timeout), but a statement sent to a server that then stops
 * answering is waited for until the operator stops the tool (nothing tells a slow statement from a silent server).
 */
export const maintenanceTimeouts = (): DatabaseTimeouts => ({ ...serviceTimeouts(), statement: 0, lock: 0 });

/** Connections each process keeps to its database (DB_POOL_SIZE; see readDatabaseSettings). */
export const defaultPoolSize = () => loadSettings(readDatabaseSettings).poolSize;

/**
 * How long this process waits for any answer to a statement it sent before it gives the connection up:
 * longer than the server's own statement limit, which ends every statement the server still runs (0,
 * maintenance: no limit). A server that no longer answers at all (its host frozen, a network partition, a
 * failover leaving the old sockets open) never sends that end: without this a statement, its request and
 * its pooled connection waited forever, and the pool stayed full of dead connections once the database was back.
 */
export const readTimeoutOf = (timeouts: DatabaseTimeouts): number => (timeouts.statement > 0 ? timeouts.statement + Math.min(timeouts.statement, 2_000) : 0);

/**
 * pg's Client, giving up on a connection when a statement gets no answer within `readTimeoutMs`: the socket
 * is destroyed, so the statement fails (ETIMEDOUT: UPSTREAM_UNAVAILABLE, errors.ts) and the pool discards the
 * connection instead of handing it out again (pg's own query_timeout leaves it in the pool, busy for ever).
 */
/** Node's own code for a socket that timed out (a driver error, not one of the API's codes): errors.ts answers it UPSTREAM_UNAVAILABLE. */
const SOCKET_TIMED_OUT = "ETIMEDOUT";

export function clientWithReadTimeout(readTimeoutMs: number): typeof Client {
  return class WatchedClient extends Client {
    /**
     * pg emits a connection's error (FATAL 57P01 from pg_terminate_backend or a server shutting down,
     * a reset socket) on the client when no statement is running on it. pg-pool listens only while the
     * client is idle in the pool and TypeORM only once its promise turn has come, so a connection
     * terminated as it was handed out had no listener and the throw ended the whole service. The
     * connection is unusable either way (its next statement fails as a lost connection, errors.ts,
     * and the pool discards it on release): nothing more to do with the error here.
     */
    constructor(...args: ConstructorParameters<typeof Client>) {
      super(...args);
      this.on("error", () => {});
    }

    override query(...args: unknown[]): any {
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (!readTimeoutMs || !(result instanceof Promise)) return result;
      const timer = setTimeout(() => {
        const stream = (this as unknown as { connection?: { stream?: Socket } }).connection?.stream;
        stream?.destroy(Object.assign(new Error(`Connection terminated: the database did not answer within ${readTimeoutMs} ms`), { code: SOCKET_TIMED_OUT }));
      }, readTimeoutMs);
      timer.unref();
      return result.finally(() => clearTimeout(timer));
    }
  } as unknown as typeof Client;
}

/** A TypeORM data source for one subgraph's own database. Schema changes come only from migrations. */
export function createDataSource({ url, entities, migrations, log, poolSize = defaultPoolSize(), timeouts = serviceTimeouts() }: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsTransactionMode: "all",
    logging: ["query", "error", "warn", "migration"],
    logger: new CountingLogger(log),
    maxQueryExecutionTime: 1000,
    extra: {
      max: poolSize,
      // pg sends these (when not 0) as startup parameters of every connection it opens.
      connectionTimeoutMillis: timeouts.connect,
      statement_timeout: timeouts.statement,
      lock_timeout: timeouts.lock,
      idle_in_transaction_session_timeout: timeouts.idleInTransaction,
      // A server that stops answering altogether is given up on too (readTimeoutOf; 0: no read timeout),
      // and a connection terminated while handed out does not end the process (WatchedClient).
      Client: clientWithReadTimeout(readTimeoutOf(timeouts)),
    },
  });
}

/**
 * The session advisory lock migrations run under, in the database migrated (the two-key form: no other
 * lock of the services uses it). Two processes of one service starting together (two containers of it,
 * a rolling deploy) take turns: the second waits, then finds nothing pending. Without it both ran the
 * same migrations at once and the second failed on what the first had created.
 */
const MIGRATION_LOCK = [0x4d494752, 0] as const; // "MIGR"

/**
 * Creates the database when missing and runs its migrations on a connection of their own, without the
 * statement and lock limits of the service's pool (see maintenanceTimeouts), one process at a time
 * (MIGRATION_LOCK, held by a session of its own until they are done).
 */
export async function migrateDatabase(
  { url, entities, migrations, log }: Omit<DataSourceOptions, "poolSize" | "timeouts">,
  afterMigrations?: (source: DataSource, log: Logger) => Promise<void>,
): Promise<void> {
  await ensureDatabase(url);
  const lock = new Client({ connectionString: url, connectionTimeoutMillis: serviceTimeouts().connect });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock($1, $2)`, [...MIGRATION_LOCK]);
    const source = createDataSource({ url, entities, migrations, log, poolSize: 1, timeouts: maintenanceTimeouts() });
    await source.initialize();
    try {
      await source.runMigrations({ transaction: "all" });
      await afterMigrations?.(source, log);
    } finally {
      await source.destroy();
    }
  } finally {
    // Ending the session releases the lock.
    await lock.end();
  }
}

/** Creates the database named in `url` on its server when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Unsafe database name "${database}"`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: serviceTimeouts().connect });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${database}"`);
      } catch (error) {
        // Another process created it between our check and our CREATE.
        if ((error as { code?: string }).code !== "42P04") throw error;
      }
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** True for a Postgres unique violation, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === "23505" && (!constraint || driverError.constraint === constraint);
}
