import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { hashApiKey } from "../../shared/src/auth/api-key";
import { ConfigError, EnvReader, loadSettings, readDatabaseSettings } from "../../shared/src/config";
import { readSubgraphConfig } from "../../shared/src/run-subgraph";
import { loadGatewayConfig } from "../../gateway/src/config";

const ROOT = resolve(__dirname, "..", "..");
const secrets = { GATEWAY_SECRET: "g".repeat(32), SERVICE_SECRET: "s".repeat(32), JWT_SECRET: "j".repeat(32) };
const problemsOf = (read: () => unknown): string[] => {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("configuration read once, at start", () => {
  it("the gateway's defaults are the README's", () => {
    const config = loadGatewayConfig({ ...secrets });
    expect(config.limits).toEqual({ maxDepth: 12, maxAliases: 30, maxCost: 25_000, maxTokens: 5_000, defaultListSize: 20 });
    expect(config.rateLimits).toEqual({ perCaller: 600, anonymous: 300, proxyHops: 0 });
    expect(config).toMatchObject({ port: 4000, requestMaxBytes: 100_000, maxBatchOperations: 0, subgraphConnections: 128, subgraphTimeoutMs: 25_000, requestTimeoutMs: 25_000, queryPlanCacheMiB: 8, supergraphPollMs: 1000, landingPage: true, introspection: true });
    expect(loadGatewayConfig({ ...secrets, NODE_ENV: "production" })).toMatchObject({ landingPage: false, introspection: false });
    expect(loadGatewayConfig({ ...secrets, ALLOW_BATCHING: "1" }).maxBatchOperations).toBe(10);
    // The entity cache is on unless DISABLE_ENTITY_CACHE=1 (the bench measures the gateway without it).
    expect(loadGatewayConfig({ ...secrets }).entityCache).toBe(true);
    expect(loadGatewayConfig({ ...secrets, DISABLE_ENTITY_CACHE: "1" }).entityCache).toBe(false);
    expect(() => loadGatewayConfig({ ...secrets, DISABLE_ENTITY_CACHE: "yes" })).toThrow(/DISABLE_ENTITY_CACHE must be 1 or 0/);
  });

  it("a bad gateway value stops the start with the variable's name; every bad one is named at once", () => {
    expect(() => loadGatewayConfig({ ...secrets, QUERY_MAX_COST: "abc" })).toThrow(/QUERY_MAX_COST must be a non-negative integer, got "abc"/);
    expect(problemsOf(() => loadGatewayConfig({ ...secrets, QUERY_MAX_COST: "abc", RATE_LIMIT_PER_MINUTE: "-5", ALLOW_BATCHING: "yes", GATEWAY_PORT: "70000", REDIS_URL: "not a url" }))).toEqual([
      expect.stringMatching(/^ALLOW_BATCHING /),
      expect.stringMatching(/^GATEWAY_PORT /),
      expect.stringMatching(/^QUERY_MAX_COST /),
      expect.stringMatching(/^RATE_LIMIT_PER_MINUTE /),
      expect.stringMatching(/^REDIS_URL must be a URL$/),
    ]);
    expect(() => loadGatewayConfig({})).toThrow(/GATEWAY_SECRET and SERVICE_SECRET must be set/);
    expect(() => loadGatewayConfig({ ...secrets, JWT_SECRET: "" })).toThrow(/JWT_JWKS_URL .* or JWT_SECRET/);
    // A JWKS alone would accept the provider's tokens for any of its applications.
    const jwks = { ...secrets, JWT_SECRET: "", JWT_JWKS_URL: "https://id.example.test/jwks.json" };
    expect(() => loadGatewayConfig(jwks)).toThrow(/JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE/);
    expect(() => loadGatewayConfig({ ...jwks, JWT_ISSUER: "https://id.example.test" })).toThrow(/JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE/);
    expect(() => loadGatewayConfig({ ...jwks, JWT_AUDIENCE: "coalition" })).toThrow(/JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE/);
    expect(() => loadGatewayConfig({ ...jwks, JWT_ISSUER: "https://id.example.test", JWT_AUDIENCE: "coalition" })).not.toThrow();
  });

  it("a bad subgraph value stops the start with the variable's name, its own settings included", () => {
    const definition = { name: "ledger" as const, settings: ["TRANSFER_DAILY_LIMIT"] };
    const read = (env: NodeJS.ProcessEnv) => loadSettings((reader) => readSubgraphConfig(definition, reader), { ...secrets, ...env });
    expect(read({ LEDGER_PORT: "4104", DB_POOL_SIZE: "6" })).toMatchObject({ port: 4104, workers: 1, database: { poolSize: 6, timeouts: { connect: 5_000, statement: 10_000, lock: 5_000, idleInTransaction: 15_000 } } });
    expect(() => read({ DB_POOL_SIZE: "-1" })).toThrow(/DB_POOL_SIZE must be an integer of at least 1, got "-1"/);
    expect(() => read({ DB_POOL_SIZE: "0" })).toThrow(/DB_POOL_SIZE/);
    expect(() => read({ DB_CONNECT_TIMEOUT_MS: "0" })).toThrow(/DB_CONNECT_TIMEOUT_MS must be an integer of at least 1/);
    expect(() => read({ TRANSFER_DAILY_LIMIT: "ten" })).toThrow(/TRANSFER_DAILY_LIMIT must be a non-negative integer, got "ten"/);
    expect(() => read({ WORKERS: "two" })).toThrow(/WORKERS must be a positive integer or "auto"/);
    expect(() => read({ SERVICE_CALL_TIMEOUT_MS: "soon" })).toThrow(/SERVICE_CALL_TIMEOUT_MS/);
  });

  it("reads DB_* in one place", () => {
    const reader = new EnvReader({ DB_STATEMENT_TIMEOUT_MS: "0" });
    expect(readDatabaseSettings(reader).timeouts.statement).toBe(0);
    expect(reader.problems).toEqual([]);
  });

  // Each subgraph's definition lists the variables its own code reads with intFromEnv, so that its start checks them all.
  it.each(readdirSync(join(ROOT, "subgraphs")).filter((name) => statSync(join(ROOT, "subgraphs", name)).isDirectory()))("the %s definition lists every setting its code reads", (name) => {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((entry) => (statSync(join(dir, entry)).isDirectory() ? walk(join(dir, entry)) : entry.endsWith(".ts") ? [join(dir, entry)] : []));
    const read = new Set(walk(join(ROOT, "subgraphs", name, "src")).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/intFromEnv\("([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1])));
    const definition = readFileSync(join(ROOT, "subgraphs", name, "src", "subgraph.ts"), "utf8");
    const listed = new Set([...(/\bsettings: \[([^\]]*)\]/.exec(definition)?.[1] ?? "").matchAll(/"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1]));
    expect([...read].filter((setting) => !listed.has(setting))).toEqual([]);
  });
});

describe("the API-key hash", () => {
  it("is SHA-256, hex, computed in one place", () => {
    expect(hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const uses = ["gateway/src/identity.ts", "gateway/src/rate-limit.ts", "subgraphs/partners/src/api-key/api-key.service.ts"];
    for (const file of uses) {
      const text = readFileSync(join(ROOT, file), "utf8");
      expect(text).toContain("hashApiKey(");
      expect(text).not.toMatch(/createHash\("sha256"\)/);
    }
  });
});
