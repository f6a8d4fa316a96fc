import { existsSync } from "node:fs";
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

export function subgraphPort(name: SubgraphName): number {
  return intFromEnv(SUBGRAPHS[name].portEnv, SUBGRAPHS[name].defaultPort);
}

/** Where a subgraph's GraphQL endpoint is, for the gateway and for service-to-service calls. */
export function subgraphUrl(name: SubgraphName): string {
  return process.env[SUBGRAPHS[name].urlEnv] || `http://localhost:${subgraphPort(name)}/graphql`;
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
  const own = process.env[SUBGRAPHS[name].databaseUrlEnv];
  if (own) return own;
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
