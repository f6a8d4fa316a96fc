import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { EMBEDDED_PGPORT_DEFAULT, REPO_ROOT, intFromEnv } from "../../shared/src/config";
import { createLogger } from "../../shared/src/logger";
import { stopOnSignals } from "../../shared/src/shutdown";
import { jwtMaxTtlSeconds, signToken } from "../../shared/src/auth/jwt";
import { DEMO_MEMBER_EMAIL, isEmpty, seedDemo } from "./demo-seed";
import { banner } from "./banner";
import { bearer, requestGraphQL } from "./graphql-client";
import { type PostgresServer, startEmbeddedPostgres } from "./postgres";
import { QuietDuringSeed } from "./quiet-output";
import { type Stack, startStack } from "./services";

/**
 * `npm start`: Postgres (embedded unless DATABASE_URL is set), the four subgraphs and the gateway,
 * a demo coalition on an empty database, and a clean stop on Ctrl-C.
 */
const log = createLogger("coalition");

/** What npm start runs, each kept from the moment it starts starting, so that a stop can wait for it and stop it. */
class Started {
  postgres: Promise<PostgresServer> | null = null;
  stack: Promise<Stack> | null = null;
  stopping = false;

  /** The services first (then nothing reaches a database that is gone), then Postgres. */
  async stop(): Promise<void> {
    const stack = await this.stack?.catch(() => null);
    await stack?.stop();
    const postgres = await this.postgres?.catch(() => null);
    await postgres?.stop().catch((error) => log.warn("postgres stop", { error }));
  }
}

async function main(started: Started) {
  const env: NodeJS.ProcessEnv = { ...process.env, APOLLO_TELEMETRY_DISABLED: "1" };
  const dataRoot = resolve(REPO_ROOT, env.DATA_DIR || ".data");
  await useDevelopmentSecrets(env, dataRoot);
  if (!env.DATABASE_URL) {
    const dataDir = resolve(dataRoot, "postgres");
    const port = intFromEnv("PGPORT", EMBEDDED_PGPORT_DEFAULT);
    // Stopped by Started.stop, after the services (not by the package's own hook, under them).
    started.postgres = startEmbeddedPostgres({ dataDir, port, persistent: true, log, signals: "caller" });
    env.DATABASE_URL = (await started.postgres).url;
    log.info("embedded Postgres running", { port, dataDir });
  }
  // The explorer offers the tokens of the banner in one click (development only; gateway/src/explorer.ts).
  if (env.NODE_ENV !== "production") env.DEMO_TOKENS_FILE ??= join(dataRoot, "demo-tokens.json");
  // Until the banner, the services' per-request lines (the seed's thousands) are debug-level only.
  const output = new QuietDuringSeed(process.stdout);
  output.setQuiet(true);
  started.stack = startStack({ env, output, restartCrashed: log });
  const stack = await started.stack;
  // As long-lived as the gateway accepts (JWT_MAX_TTL_SECONDS, a day by default), no longer.
  const ttlSeconds = jwtMaxTtlSeconds(stack.env);
  const adminToken = signToken({ sub: "dev-admin", role: "admin" }, stack.env.JWT_SECRET!, ttlSeconds);
  if (await isEmpty(stack.gatewayUrl)) {
    log.info("empty database: seeding the demo coalition");
    await seedDemo(stack.gatewayUrl, log, bearer(adminToken));
  }
  const { memberByEmail } = await requestGraphQL(stack.gatewayUrl, `query($e: String!) { memberByEmail(email: $e) { id } }`, { e: DEMO_MEMBER_EMAIL }, bearer(adminToken));
  const memberToken = memberByEmail ? signToken({ sub: memberByEmail.id, role: "member" }, stack.env.JWT_SECRET!, ttlSeconds) : null;
  if (env.DEMO_TOKENS_FILE) await writeFile(env.DEMO_TOKENS_FILE, JSON.stringify({ member: memberToken ?? undefined, admin: adminToken }), { mode: 0o600 });
  process.stdout.write(banner(stack.gatewayUrl, adminToken, memberToken, ttlSeconds));
  output.setQuiet(false);
}

const SECRET_NAMES = ["GATEWAY_SECRET", "SERVICE_SECRET", "JWT_SECRET"] as const;

/**
 * Secrets not set in the environment are generated once and kept in the data directory (readable by
 * its owner only), so tokens printed by one run still work in the next. Never for production.
 */
async function useDevelopmentSecrets(env: NodeJS.ProcessEnv, dataRoot: string): Promise<void> {
  const missing = SECRET_NAMES.filter((name) => !env[name]);
  if (!missing.length) return;
  if (env.NODE_ENV === "production") throw new Error(`Set ${missing.join(", ")}: development secrets are never generated in production`);
  const file = join(dataRoot, "dev-secrets.json");
  const kept: Record<string, string> = existsSync(file) ? JSON.parse(await readFile(file, "utf8")) : {};
  for (const name of missing) {
    kept[name] ??= randomBytes(32).toString("base64url");
    env[name] = kept[name];
  }
  await mkdir(dataRoot, { recursive: true });
  await writeFile(file, JSON.stringify(kept, null, 2), { mode: 0o600 });
  // Names only: secrets never go to logs.
  log.warn("using development secrets kept in the data directory; set them in the environment for anything but development", { names: missing, file });
}


// A signal (Ctrl-C, SIGTERM, SIGHUP) at any point stops whatever has started or is starting; a start
// that fails stops it too. Either way nothing is left running without an owner.
const started = new Started();
stopOnSignals(log, async () => {
  started.stopping = true;
  await started.stop();
});
main(started).catch(async (error) => {
  if (started.stopping) return; // the stop above was under way: it exits
  log.error("could not start", { error });
  await started.stop();
  process.exit(1);
});
