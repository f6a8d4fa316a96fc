import cluster from "node:cluster";
import { createHash, timingSafeEqual } from "node:crypto";
import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from "prom-client";
import { sqlStatements } from "./database";
import { workerIndex } from "./workers";

/**
 * Prometheus metrics of this process, served at GET /metrics. With WORKERS > 1 every worker keeps its
 * own: a scrape is answered by whichever worker gets the connection, and its series carry a `worker`
 * label so that each worker's counters stay monotonic for Prometheus.
 */
export const metricsRegistry = register;

/**
 * METRICS_TOKEN: when set, GET /metrics answers only `Authorization: Bearer <token>` (Prometheus's
 * `authorization` scrape setting). The gateway's port is public, and its metrics name operations.
 */
export function metricsToken(env = process.env): string | undefined {
  const token = env.METRICS_TOKEN;
  if (!token) return undefined;
  if (token.length < 32) throw new Error("METRICS_TOKEN must be at least 32 characters");
  return token;
}

/**
 * Without a token, GET /metrics answers in production only when METRICS_OPEN=1 says so: the metrics
 * name operations and the service's load, and the gateway's port is public. Open elsewhere.
 */
export function metricsClosed(env = process.env): boolean {
  return env.NODE_ENV === "production" && env.METRICS_OPEN !== "1" && !metricsToken(env);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest();

/** Whether an Authorization header carries this token (compared in constant time). */
export function carriesMetricsToken(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1];
  return given !== undefined && timingSafeEqual(sha256(given), sha256(token));
}

if (cluster.isWorker) register.setDefaultLabels({ worker: String(workerIndex()) });
collectDefaultMetrics({ register });

// Read by the batching tests before and after a request (statements per request must not grow with the entities).
new Counter({
  name: "coalition_sql_statements_total",
  help: "SQL statements sent by this process.",
  collect() {
    this.reset();
    this.inc(sqlStatements.total);
  },
});

const requests = new Counter({
  name: "graphql_requests_total",
  help: "GraphQL operations executed, by operation name and outcome (ok, error: the answer has errors).",
  labelNames: ["operation", "outcome"] as const,
});

const duration = new Histogram({
  name: "graphql_request_duration_seconds",
  help: "Time from the start of a GraphQL operation to its answer, by operation name.",
  labelNames: ["operation"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

const rejected = new Counter({
  name: "http_rejected_requests_total",
  help: "Requests answered with an error before GraphQL execution (no proof, too large, not JSON, too many batched), by HTTP status.",
  labelNames: ["status"] as const,
});

// Operation names come from clients: label only the first few distinct ones, so that a client sending
// a new name per request cannot grow our series (and Prometheus's) without bound.
const MAX_OPERATION_LABELS = 100;
// Nor a few very long ones: a name may be as long as the request (REQUEST_MAX_BYTES), and each is
// repeated on every series line of a scrape (17 of them per name). A subgraph's operation names are
// the client's plus `__<subgraph>__<n>`.
export const MAX_OPERATION_LABEL_LENGTH = 128;
// Of those, anonymous callers (anyone who reaches the gateway) may name only a few: a loop of anonymous
// requests with made-up names took all 100, and every operation of partner apps, members and services
// named after that counted as "other" until a restart.
export const MAX_ANONYMOUS_OPERATION_LABELS = 20;
const operationLabels = new Set<string>();
let anonymousLabels = 0;

/**
 * The `operation` label of an operation: its name; "anonymous" (unnamed); "invalid" (never parsed);
 * "other" past the caps. `byAnonymous`: the caller showed no credentials (a subgraph reads it from the proof).
 */
export function operationLabel(name: string | null | undefined, parsed = true, byAnonymous = false): string {
  if (!parsed) return "invalid";
  if (!name) return "anonymous";
  if (name.length > MAX_OPERATION_LABEL_LENGTH) return "other";
  if (operationLabels.has(name)) return name;
  if (operationLabels.size >= MAX_OPERATION_LABELS) return "other";
  if (byAnonymous) {
    if (anonymousLabels >= MAX_ANONYMOUS_OPERATION_LABELS) return "other";
    anonymousLabels++;
  }
  operationLabels.add(name);
  return name;
}

export function recordOperation(operation: string, outcome: "ok" | "error", seconds: number): void {
  requests.inc({ operation, outcome });
  duration.observe({ operation }, seconds);
}

/** A request the context refused (bad token, rate limit): it never had an operation. */
export const recordContextFailure = (): void => requests.inc({ operation: "unknown", outcome: "error" });

export const recordRejected = (status: number): void => rejected.inc({ status: String(status) });

/** What a pg Pool tells about itself. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** Database pool gauges, read from the pool at scrape time (nothing is done per query). */
export function watchDatabasePool(pool: () => PoolStats | undefined): void {
  const gauge = (name: string, help: string, read: (stats: PoolStats) => number | undefined) =>
    new Gauge({
      name,
      help,
      collect() {
        const stats = pool();
        const value = stats && read(stats);
        if (value !== undefined) this.set(value);
      },
    });
  gauge("db_pool_connections", "Connections open in this process's Postgres pool.", (s) => s.totalCount);
  gauge("db_pool_idle_connections", "Open connections not in use.", (s) => s.idleCount);
  gauge("db_pool_waiting_clients", "Queries waiting for a free connection.", (s) => s.waitingCount);
  gauge("db_pool_max_connections", "Most connections the pool may open (DB_POOL_SIZE).", (s) => s.options?.max);
}
