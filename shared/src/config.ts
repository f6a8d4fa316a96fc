import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";

/** Configuration read from the environment, in one place, with the defaults the README documents. */

export type SubgraphName = "members" | "partners" | "catalog" | "ledger";

export const SUBGRAPHS: Record<SubgraphName, { portEnv: string; defaultPort: number; urlEnv: string; databaseUrlEnv: string }> = {
  members: { portEnv: "MEMBERS_PORT", defaultPort: 4001, urlEnv: "MEMBERS_URL", databaseUrlEnv: "MEMBERS_DATABASE_URL" },
  partners: { portEnv: "PARTNERS_PORT", defaultPort: 4002, urlEnv: "PARTNERS_URL", databaseUrlEnv: "PARTNERS_DATABASE_URL" },
  catalog: { portEnv: "CATALOG_PORT", defaultPort: 4003, urlEnv: "CATALOG_URL", databaseUrlEnv: "CATALOG_DATABASE_URL" },
  ledger: { portEnv: "LEDGER_PORT", defaultPort: 4004, urlEnv: "LEDGER_URL", databaseUrlEnv: "LEDGER_DATABASE_URL" },
};
export const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

export const GATEWAY_DEFAULT_PORT = 4000;

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/**
 * PARTNER_CACHE_SECONDS (60): how long a partner's public fields (its earn rule, category) may be kept,
 * by the gateway (the partners service's cache hint) and by the ledger (its earn-rule cache). One
 * setting two services read, so its default is stated here once.
 */
export const partnerCacheSeconds = (): number => intFromEnv("PARTNER_CACHE_SECONDS", 60);

export function subgraphPort(name: SubgraphName): number {
  return intFromEnv(SUBGRAPHS[name].portEnv, SUBGRAPHS[name].defaultPort);
}

/** Where a subgraph's GraphQL endpoint is, for the gateway and for service-to-service calls. */
export function subgraphUrl(name: SubgraphName): string {
  return process.env[SUBGRAPHS[name].urlEnv] || `http://localhost:${subgraphPort(name)}/graphql`;
}

/** A service's /health, beside its /graphql (the gateway's readiness and every breaker's check ask it). */
export function healthUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, "") + "/health";
  url.search = "";
  return url.toString();
}

/** Each subgraph owns one database; the name can carry a suffix so test runs never touch real data. */
export function databaseName(name: SubgraphName): string {
  return `coalition_${name}${process.env.DATABASE_NAME_SUFFIX ?? ""}`;
}

/**
 * The connection URL of a subgraph's own database: `<NAME>_DATABASE_URL` when set, otherwise the
 * server of `DATABASE_URL` with the subgraph's database name in place of the path.
 */
export function subgraphDatabaseUrl(name: SubgraphName): string {
  const ownName = SUBGRAPHS[name].databaseUrlEnv;
  const own = process.env[ownName];
  // Named, never shown: a URL may hold a password.
  const invalid = (variable: string) => new Error(`${variable} must be a URL such as postgres://user:password@host:5432/database`);
  if (own) {
    if (!URL.canParse(own)) throw invalid(ownName);
    return own;
  }
  if (process.env.DATABASE_URL && !URL.canParse(process.env.DATABASE_URL)) throw invalid("DATABASE_URL");
  return withDatabase(process.env.DATABASE_URL || embeddedDatabaseUrl(), databaseName(name));
}

/** The embedded Postgres `npm start` runs when DATABASE_URL is not set (tools find it there too). */
export const EMBEDDED_PGPORT_DEFAULT = 54320;
export const embeddedDatabaseUrl = (port = intFromEnv("PGPORT", EMBEDDED_PGPORT_DEFAULT)) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export const isDevelopment = () => process.env.NODE_ENV === "development";

/** The checkout's root (it holds package.json and subgraphs/), whether running from sources or from dist/. */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "subgraphs"))) return dir;
    if (dirname(dir) === dir) throw new Error(`No project root above ${start}`);
  }
}

/** A start refused for its configuration: every variable that is wrong, each named, in one message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads settings from an environment once, at start, collecting every problem instead of stopping at
 * the first, so that a start names all the bad variables; `done()` then throws them as one ConfigError.
 */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(readonly env: NodeJS.ProcessEnv = process.env) {}

  /** A whole number in [min, max] (min 0 by default); unset or empty: the fallback. */
  int(name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? (min === 0 ? "a non-negative integer" : `an integer of at least ${min}`) : `an integer from ${min} to ${max}`;
      this.problems.push(`${name} must be ${range}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** On only when set to `1`; anything else but unset, empty or `0` is refused (a typo must not pass for off). */
  flag(name: string): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === "" || raw === "0") return false;
    if (raw === "1") return true;
    this.problems.push(`${name} must be 1 or 0, got "${raw}"`);
    return false;
  }

  /** A URL, when set. */
  url(name: string): string | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return undefined;
    try {
      new URL(raw);
      return raw;
    } catch {
      // Never the value: a URL may hold a password.
      this.problems.push(`${name} must be a URL`);
      return undefined;
    }
  }

  /** A value an existing reader computes (and validates by throwing an Error that names its variable). */
  check<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (error) {
      this.problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  }

  done(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }
}

/**
 * What every process reads besides its own settings, checked at start like them: NODE_ENV (a typo such
 * as `prod` ran as development: introspection on, the explorer served, trusted documents off),
 * LOG_LEVEL (a typo fell back to info unseen) and CORS_ORIGINS (an origin without its scheme never
 * matches a browser's).
 */
export function checkProcessSettings(reader: EnvReader): void {
  const oneOf = (name: string, allowed: readonly string[]) => {
    const raw = reader.env[name];
    if (raw !== undefined && raw !== "" && !allowed.includes(raw)) reader.problems.push(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
  };
  oneOf("NODE_ENV", ["production", "development", "test"]);
  oneOf("LOG_LEVEL", ["trace", "debug", "info", "warn", "error", "fatal", "silent"]);
  for (const origin of (reader.env.CORS_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean)) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+\/?$/i.test(origin)) reader.problems.push(`CORS_ORIGINS must list origins such as https://app.example.com (or *), got "${origin}"`);
  }
}

/** Postgres settings of a service process (DB_*): pool size and the waits that keep a request from hanging. */
export interface DatabaseSettings {
  poolSize: number;
  /** Queries waiting for a pooled connection past which a subgraph refuses new requests at once (503, load shedding). */
  poolMaxWaiting: number;
  timeouts: { connect: number; statement: number; lock: number; idleInTransaction: number };
}

export function readDatabaseSettings(reader: EnvReader): DatabaseSettings {
  // Postgres does best with a few busy connections per core, not hundreds: two per CPU, at least four.
  const poolSize = reader.int("DB_POOL_SIZE", Math.max(4, 2 * availableParallelism()), { min: 1 });
  return {
    poolSize,
    // A queue this long drains in tens of milliseconds when the database keeps up; one that stays this
    // long means it does not, and each new request would only wait DB_CONNECT_TIMEOUT_MS to fail.
    poolMaxWaiting: reader.int("DB_POOL_MAX_WAITING", 32 * poolSize, { min: 1 }),
    timeouts: {
      // pg reads 0 as "wait forever": exactly the hang this limit is for.
      connect: reader.int("DB_CONNECT_TIMEOUT_MS", 5_000, { min: 1 }),
      statement: reader.int("DB_STATEMENT_TIMEOUT_MS", 10_000),
      lock: reader.int("DB_LOCK_TIMEOUT_MS", 5_000),
      idleInTransaction: reader.int("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 15_000),
    },
  };
}

/** Reads with `read` from the environment and throws a ConfigError naming every bad variable. */
export function loadSettings<T>(read: (reader: EnvReader) => T, env: NodeJS.ProcessEnv = process.env): T {
  const reader = new EnvReader(env);
  const settings = read(reader);
  reader.done();
  return settings;
}

/**
 * ERASURE_CHECK_CACHE_MS (1000): how long a gateway may remember that a member is NOT erased. An
 * erasure waits this long before it answers, so every gateway refuses the member's tokens once
 * `eraseMember` has answered (0: ask the members service on every member request).
 */
export const erasureCheckCacheMs = (): number => intFromEnv("ERASURE_CHECK_CACHE_MS", 1000);
