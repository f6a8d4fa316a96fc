import { join } from "node:path";
import { refusePlaceholderSecrets } from "../../shared/src/auth/placeholder-secrets";
import { type ProofSecrets, proofSecrets } from "../../shared/src/auth/proof";
import { type EnvReader, GATEWAY_DEFAULT_PORT, REPO_ROOT, checkProcessSettings, loadSettings } from "../../shared/src/config";
import { type AdmissionLimits, GATEWAY_ADMISSION_DEFAULTS, readAdmissionLimits } from "../../shared/src/overload";
import { type BreakerSettings, readBreakerSettings } from "../../shared/src/circuit-breaker";
import { LONGEST_CALL_CHAIN, SUBGRAPH_CALL_TIMEOUT_DEFAULT_MS } from "../../shared/src/subgraph-client";
import { workerCount } from "../../shared/src/workers";
import { type TokenVerification, tokenVerification } from "./identity";
import { type TrustedDocumentsMode, trustedDocumentsMode } from "./trusted-documents/manifest";

/**
 * The gateway's configuration, read from the environment once, at start, into one typed object; the
 * start fails with every bad variable named (a ConfigError) instead of the first request failing.
 * Defaults are the README's (Configuration).
 */

/** Limits that keep hostile queries from reaching the subgraphs (see limits.ts). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  /** Assumed length of a list field without a `first` argument. */
  defaultListSize: number;
}

export interface RateLimits {
  perCaller: number;
  anonymous: number;
  /** Proxies in front of the gateway that append to X-Forwarded-For (TRUST_PROXY_HOPS); 0: the header is ignored. */
  proxyHops: number;
}

/** Trusted documents (persisted queries) for partner apps: README, Partner apps: trusted documents. */
export interface TrustedDocumentsConfig {
  mode: TrustedDocumentsMode;
  /** The folder of manifests (TRUSTED_DOCUMENTS_DIR), polled every `pollMs`. */
  dir: string;
  pollMs: number;
}

export interface GatewayConfig {
  production: boolean;
  port: number;
  workers: number;
  limits: QueryLimits;
  rateLimits: RateLimits;
  /** Load shedding: GATEWAY_MAX_IN_FLIGHT, GATEWAY_QUEUE, GATEWAY_QUEUE_TIMEOUT_MS (shared/src/overload.ts). */
  admission: AdmissionLimits;
  requestMaxBytes: number;
  /** 0: batches refused (ALLOW_BATCHING unset). */
  maxBatchOperations: number;
  landingPage: boolean;
  /** The offline explorer (GraphiQL) at `/`: outside production only (explorer.ts). */
  explorer: boolean;
  /** Development: the file of demo tokens `npm start` writes, offered by the explorer (DEMO_TOKENS_FILE). */
  demoTokensFile: string | undefined;
  introspection: boolean;
  metricsOpen: boolean;
  subgraphConnections: number;
  subgraphTimeoutMs: number;
  /** GATEWAY_REQUEST_TIMEOUT_MS: one deadline for all of a GraphQL request's subgraph calls (gatewayRequestTimeout). */
  requestTimeoutMs: number;
  /** Per-subgraph circuit breakers (BREAKER_*). */
  breaker: BreakerSettings;
  supergraphPath: string;
  supergraphPollMs: number;
  queryPlanCacheMiB: number;
  /** Public entities kept by the gateway (entity-cache.ts); off only to measure what the cache is worth (DISABLE_ENTITY_CACHE). */
  entityCache: boolean;
  redisUrl: string | undefined;
  trustedDocuments: TrustedDocumentsConfig;
  secrets: ProofSecrets;
  tokens: TokenVerification;
}

export const readQueryLimits = (env: EnvReader): QueryLimits => ({
  maxDepth: env.int("QUERY_MAX_DEPTH", 12),
  maxAliases: env.int("QUERY_MAX_ALIASES", 30),
  maxCost: env.int("QUERY_MAX_COST", 25_000),
  maxTokens: env.int("QUERY_MAX_TOKENS", 5_000),
  defaultListSize: env.int("QUERY_DEFAULT_LIST_SIZE", 20),
});

export const readRateLimits = (env: EnvReader): RateLimits => ({
  perCaller: env.int("RATE_LIMIT_PER_MINUTE", 600),
  anonymous: env.int("RATE_LIMIT_ANONYMOUS_PER_MINUTE", 300),
  proxyHops: env.int("TRUST_PROXY_HOPS", 0),
});

/**
 * SUBGRAPH_TIMEOUT_MS: how long the gateway waits for a subgraph. It must outlast the longest chain
 * of service-to-service calls a request can start (LONGEST_CALL_CHAIN × SERVICE_CALL_TIMEOUT_MS), or
 * the gateway gives up on a request the services are still finishing, and the client sees a failure
 * for work that may then complete.
 */
function gatewaySubgraphTimeout(env: EnvReader): number {
  const timeout = env.int("SUBGRAPH_TIMEOUT_MS", 25_000, { min: 1 });
  const serviceCall = env.int("SERVICE_CALL_TIMEOUT_MS", SUBGRAPH_CALL_TIMEOUT_DEFAULT_MS, { min: 1 });
  const chain = LONGEST_CALL_CHAIN * serviceCall;
  if (timeout <= chain) {
    throw new Error(`SUBGRAPH_TIMEOUT_MS (${timeout}) must be more than ${LONGEST_CALL_CHAIN} × SERVICE_CALL_TIMEOUT_MS (${chain}), the longest chain of service calls a request can start`);
  }
  return timeout;
}

/**
 * GATEWAY_REQUEST_TIMEOUT_MS (default SUBGRAPH_TIMEOUT_MS): one deadline per GraphQL request, from when
 * it leaves the admission queue, shared by its subgraph calls (a query plan calls several in sequence).
 * It bounds the answer, as the README's retry contract promises; at least SUBGRAPH_TIMEOUT_MS, so a
 * request's first call gets about the whole SUBGRAPH_TIMEOUT_MS its service-call chain needs.
 */
function gatewayRequestTimeout(env: EnvReader, subgraphTimeoutMs: number): number {
  const timeout = env.int("GATEWAY_REQUEST_TIMEOUT_MS", subgraphTimeoutMs, { min: 1 });
  if (timeout < subgraphTimeoutMs) throw new Error(`GATEWAY_REQUEST_TIMEOUT_MS (${timeout}) must be at least SUBGRAPH_TIMEOUT_MS (${subgraphTimeoutMs})`);
  return timeout;
}

export const supergraphPathOf = (env: NodeJS.ProcessEnv) => env.SUPERGRAPH_PATH || join(REPO_ROOT, "gateway", "supergraph.graphql");

export function readGatewayConfig(env: EnvReader): GatewayConfig {
  const production = env.env.NODE_ENV === "production";
  env.check(() => refusePlaceholderSecrets(env.env), undefined);
  checkProcessSettings(env);
  const allowBatching = env.flag("ALLOW_BATCHING");
  const subgraphTimeoutMs = env.check(() => gatewaySubgraphTimeout(env), 0);
  return {
    production,
    port: env.int("GATEWAY_PORT", GATEWAY_DEFAULT_PORT, { max: 65_535 }),
    workers: env.check(() => workerCount(env.env), 1),
    limits: readQueryLimits(env),
    rateLimits: readRateLimits(env),
    admission: readAdmissionLimits(env, "GATEWAY", GATEWAY_ADMISSION_DEFAULTS),
    requestMaxBytes: env.int("REQUEST_MAX_BYTES", 100_000, { min: 1 }),
    maxBatchOperations: allowBatching ? env.int("MAX_BATCH_OPERATIONS", 10, { min: 1 }) : 0,
    landingPage: !production || env.flag("ENABLE_LANDING_PAGE"),
    explorer: !production,
    demoTokensFile: env.check(() => demoTokensFile(env.env, production), undefined),
    introspection: !production || env.flag("ENABLE_INTROSPECTION"),
    metricsOpen: env.flag("METRICS_OPEN"),
    subgraphConnections: env.int("SUBGRAPH_CONNECTIONS", 128, { min: 1 }),
    subgraphTimeoutMs,
    requestTimeoutMs: env.check(() => gatewayRequestTimeout(env, subgraphTimeoutMs), 0),
    breaker: readBreakerSettings(env),
    supergraphPath: supergraphPathOf(env.env),
    supergraphPollMs: env.int("SUPERGRAPH_POLL_MS", 1000, { min: 1 }),
    queryPlanCacheMiB: env.int("QUERY_PLAN_CACHE_MIB", 8),
    entityCache: !env.flag("DISABLE_ENTITY_CACHE"),
    redisUrl: env.url("REDIS_URL"),
    trustedDocuments: {
      mode: env.check(() => trustedDocumentsMode(env.env.TRUSTED_DOCUMENTS, production), "off"),
      dir: env.env.TRUSTED_DOCUMENTS_DIR || join(REPO_ROOT, "gateway", "trusted-documents"),
      pollMs: env.int("TRUSTED_DOCUMENTS_POLL_MS", 1000, { min: 1 }),
    },
    secrets: env.check(() => proofSecrets(env.env), { gateway: "", service: "" }),
    tokens: env.check(() => tokenVerification(env.env), { maxTtlSeconds: 0 } as TokenVerification),
  };
}

/** Tokens handed to any browser that reaches the gateway: development only, refused in production. */
function demoTokensFile(env: NodeJS.ProcessEnv, production: boolean): string | undefined {
  if (!env.DEMO_TOKENS_FILE) return undefined;
  if (production) throw new Error("DEMO_TOKENS_FILE is for development only: it offers tokens to anyone who opens the gateway's page");
  return env.DEMO_TOKENS_FILE;
}

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadSettings(readGatewayConfig, env);
