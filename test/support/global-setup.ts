import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../shared/src/logger";
import { type PostgresServer, startEmbeddedPostgres } from "../../tools/stack/postgres";
import { type Stack, freePort, startStack } from "../../tools/stack/services";
import { TEST_STACK_NO_SHEDDING } from "./dedicated-stack";

/**
 * One stack for the whole run: real Postgres (embedded in a temporary directory, or the server of
 * DATABASE_URL with databases of their own), the four subgraphs and the gateway as real processes
 * on free ports. Tests reach it over HTTP through the URLs exported here.
 */
export default async function globalSetup() {
  const log = createLogger("test");
  const workDir = await mkdtemp(join(tmpdir(), "coalition-test-"));
  let postgres: PostgresServer | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    postgres = await startEmbeddedPostgres({ dataDir: join(workDir, "pg"), port: await freePort(), persistent: false, log });
    databaseUrl = postgres.url;
  }
  const suffix = `_test_${process.pid}`;
  const logFile = join(workDir, "services.log");
  const stack: Stack = await startStack({
    // No scheduled expiry runs here: tests that move the ledger's clock run `ledger:expire` themselves.
    // No redemption sweep after the one at start either: its statements, landing inside a measurement,
    // made test/batching.test.ts count more SQL for 50 members than for 1 (the sweep is tested on a
    // stack of its own, test/redemption-recovery.test.ts).
    // Every test's anonymous requests come from this machine's one address: no per-address limit here
    // (test/rate-limit.test.ts checks it on a stack of its own).
    // No load shedding (TEST_STACK_NO_SHEDDING): tests that fire 100 requests at once test races, not capacity.
    env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_NAME_SUFFIX: suffix, NODE_ENV: "test", LOG_LEVEL: "warn", LEDGER_TEST_CLOCK: "1", EXPIRY_RUN_SECONDS: "0", REDEMPTION_SWEEP_SECONDS: "86400", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0", ...TEST_STACK_NO_SHEDDING },
    freePorts: true,
    logFile,
  });
  Object.assign(process.env, {
    TEST_DATABASE_URL: databaseUrl,
    TEST_DATABASE_NAME_SUFFIX: suffix,
    TEST_GATEWAY_URL: stack.gatewayUrl,
    TEST_SERVICES_LOG: logFile,
    TEST_GATEWAY_SECRET: stack.env.GATEWAY_SECRET,
    TEST_SERVICE_SECRET: stack.env.SERVICE_SECRET,
    TEST_JWT_SECRET: stack.env.JWT_SECRET,
    ...Object.fromEntries(Object.values(stack.services).map((s) => [`TEST_${s.name.toUpperCase()}_URL`, s.url])),
  });
  (globalThis as Record<string, unknown>).__coalition = { stack, postgres, suffix, databaseUrl };
  log.warn("test stack ready", { gateway: stack.gatewayUrl, postgres: postgres ? "embedded" : "DATABASE_URL", logFile });
}
