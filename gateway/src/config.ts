import { join } from "node:path";
import { refusePlaceholderSecrets } from "../../shared/src/auth/placeholder-secrets";
import { type ProofSecrets, proofSecrets } from "../../shared/src/auth/proof";
import { type EnvReader, GATEWAY_DEFAULT_PORT, REPO_ROOT, loadSettings } from "../../shared/src/config";
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
  requestMaxBytes: number;
  /** 0: batches refused (ALLOW_BATCHING unset). */
  maxBatchOperations: number;
  landingPage: boolean;
  introspection: boolean;
  metricsOpen: boolean;
  subgraphConnections: number;
  subgraphTimeoutMs: number;
  supergraphPath: string;
  supergraphPollMs: number;
  queryPlanCacheMiB: number;
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

export const supergraphPathOf = (env: NodeJS.ProcessEnv) => env.SUPERGRAPH_PATH || join(REPO_ROOT, "gateway", "supergraph.graphql");

export function readGatewayConfig(env: EnvReader): GatewayConfig {
  const production = env.env.NODE_ENV === "production";
  env.check(() => refusePlaceholderSecrets(env.env), undefined);
  const allowBatching = env.flag("ALLOW_BATCHING");
  return {
    production,
    port: env.int("GATEWAY_PORT", GATEWAY_DEFAULT_PORT, { max: 65_535 }),
    workers: env.check(() => workerCount(env.env), 1),
    limits: readQueryLimits(env),
    rateLimits: readRateLimits(env),
    requestMaxBytes: env.int("REQUEST_MAX_BYTES", 100_000, { min: 1 }),
    maxBatchOperations: allowBatching ? env.int("MAX_BATCH_OPERATIONS", 10, { min: 1 }) : 0,
    landingPage: !production || env.flag("ENABLE_LANDING_PAGE"),
    introspection: !production || env.flag("ENABLE_INTROSPECTION"),
    metricsOpen: env.flag("METRICS_OPEN"),
    subgraphConnections: env.int("SUBGRAPH_CONNECTIONS", 128, { min: 1 }),
    subgraphTimeoutMs: env.int("SUBGRAPH_TIMEOUT_MS", 10_000, { min: 1 }),
    supergraphPath: supergraphPathOf(env.env),
    supergraphPollMs: env.int("SUPERGRAPH_POLL_MS", 1000, { min: 1 }),
    queryPlanCacheMiB: env.int("QUERY_PLAN_CACHE_MIB", 8),
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

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => loadSettings(readGatewayConfig, env);
