import type { GraphQLFormattedError } from "graphql";
import { Pool } from "pg";
import { withDatabase } from "../shared/src/config";
import { createDataSource, maintenanceTimeouts, serviceTimeouts } from "../shared/src/database";
import { answeredCode, createErrorFormatter } from "../shared/src/errors";
import { createLogger } from "../shared/src/logger";
import { freePort } from "../tools/stack/services";

/**
 * Database failures that a retry may cure reach the client as UPSTREAM_UNAVAILABLE, from the one
 * formatter every service uses, whatever produced them; and every pooled connection carries the limits.
 */
const log = createLogger("test");
const format = createErrorFormatter({ ...log, warn() {}, error() {} });
const formatted = (error: unknown): GraphQLFormattedError =>
  format({ message: (error as Error).message, path: ["field"], extensions: { code: "INTERNAL_SERVER_ERROR" } }, error);
const catalogUrl = () => withDatabase(process.env.TEST_DATABASE_URL!, `coalition_catalog${process.env.TEST_DATABASE_NAME_SUFFIX}`);

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

function expectUnavailable(error: unknown) {
  const answer = formatted(error);
  expect(answer.extensions).toEqual({ code: "UPSTREAM_UNAVAILABLE", retryable: true });
  // And what the request's log line and the audit trail's FAILED line record from the raw error.
  expect(answeredCode(error)).toBe("UPSTREAM_UNAVAILABLE");
  expect(answer.message).toMatch(/retry/i);
  expect(answer.message).not.toContain((error as Error).message);
}

describe("database failures a retry may cure", () => {
  it("every pooled connection has the statement, lock and idle-in-transaction limits; maintenance connections have none", async () => {
    const service = createDataSource({ url: catalogUrl(), entities: [], migrations: [], log, poolSize: 2 });
    const maintenance = createDataSource({ url: catalogUrl(), entities: [], migrations: [], log, poolSize: 1, timeouts: maintenanceTimeouts() });
    await Promise.all([service.initialize(), maintenance.initialize()]);
    try {
      const settings = `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
                               current_setting('idle_in_transaction_session_timeout') AS idle`;
      const rows = await Promise.all([service.query(settings), service.query(settings)]);
      const { statement, lock, idleInTransaction } = serviceTimeouts();
      for (const [row] of rows) expect(row).toEqual({ statement: `${statement / 1000}s`, lock: `${lock / 1000}s`, idle: `${idleInTransaction / 1000}s` });
      expect((await maintenance.query(settings))[0]).toMatchObject({ statement: "0", lock: "0" });
    } finally {
      await Promise.all([service.destroy(), maintenance.destroy()]);
    }
  });

  it("a statement past statement_timeout (57014)", async () => {
    const source = createDataSource({ url: catalogUrl(), entities: [], migrations: [], log, poolSize: 1, timeouts: { ...serviceTimeouts(), statement: 200 } });
    await source.initialize();
    try {
      const error = await failure(() => source.query("SELECT pg_sleep(2)"));
      expect((error as { driverError?: { code?: string } }).driverError?.code).toBe("57014");
      expectUnavailable(error);
    } finally {
      await source.destroy();
    }
  });

  it("a pool that stays full past its connect timeout", async () => {
    const pool = new Pool({ connectionString: catalogUrl(), max: 1, connectionTimeoutMillis: 200 });
    const held = await pool.connect();
    try {
      expectUnavailable(await failure(() => pool.query("SELECT 1")));
    } finally {
      held.release();
      await pool.end();
    }
  });

  it("a database server that is not there at all, answered at once", async () => {
    const source = createDataSource({ url: `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, entities: [], migrations: [], log, poolSize: 1 });
    const started = Date.now();
    expectUnavailable(await failure(() => source.initialize()));
    expect(Date.now() - started).toBeLessThan(serviceTimeouts().connect + 1_000);
  });

  it("anything else stays an internal error, without its details", () => {
    const answer = formatted(Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: "23505" }));
    expect(answer).toMatchObject({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } });
    expect(answeredCode(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe("INTERNAL_SERVER_ERROR");
  });
});
