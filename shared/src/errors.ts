import { GraphQLError, GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { isDevelopment } from "./config";
import type { Logger } from "./logger";
import { requestIdOfError } from "./request-id";

/** Error codes clients can rely on, in `extensions.code`. */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "IDEMPOTENCY_CONFLICT"
  | "INSUFFICIENT_POINTS"
  | "OUT_OF_STOCK"
  | "NOT_ELIGIBLE"
  | "UPSTREAM_UNAVAILABLE"
  | "LIMIT_EXCEEDED"
  | "HOLD_RELEASED"
  | "FORBIDDEN"
  | "UNAUTHENTICATED";

export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** Bad input names the offending input field so a client can point at it. */
export const badInput = (message: string, field?: string) =>
  appError("BAD_USER_INPUT", message, field ? { field } : {});
export const notFound = (message: string) => appError("NOT_FOUND", message);
export const conflict = (message: string, field?: string) => appError("CONFLICT", message, field ? { field } : {});

const INTERNAL = "INTERNAL_SERVER_ERROR";

/**
 * Postgres codes that mean "busy or away, try again", not "wrong request": a lock not granted within
 * lock_timeout (55P03), a statement cancelled by statement_timeout (57014), a session ended by
 * idle_in_transaction_session_timeout (25P03) or by the server going down (57P01-57P03), too many
 * connections (53300, 53400), lost connections (class 08), and a transaction Postgres rolled back to
 * break a deadlock or a serialization conflict (40P01, 40001): nothing of it was written, and written
 * again it goes through (a refund and a purchase that met in a lock cycle answered INTERNAL_SERVER_ERROR).
 */
const RETRYABLE_SQLSTATES = new Set(["55P03", "57014", "25P03", "57P01", "57P02", "57P03", "53300", "53400", "40P01", "40001"]);
/**
 * Of those, a transaction Postgres ended while the database stays up and the connection usable (a lock
 * not granted, a statement cancelled, a deadlock or serialization conflict broken): one transaction's
 * failure, not an unreachable database (isDatabaseUnreachable).
 */
const TRANSACTION_ENDED_SQLSTATES = new Set(["55P03", "57014", "40P01", "40001"]);
const UNREACHABLE_SQLSTATES = new Set([...RETRYABLE_SQLSTATES].filter((code) => !TRANSACTION_ENDED_SQLSTATES.has(code)));
/** Node's errors for a database that cannot be reached. */
const NETWORK_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);
/**
 * TypeORM's errors for a query on a connection that is gone: a transaction whose connection the
 * database dropped (a restart, pg_terminate_backend) was released under it.
 */
const LOST_CONNECTION_ERRORS = new Set(["QueryRunnerProviderAlreadyReleasedError", "QueryRunnerAlreadyReleasedError"]);
/** pg and pg-pool raise these as plain Errors: a full pool past connectionTimeoutMillis, a dropped connection. */
const CONNECTION_MESSAGES = /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Connection closed)/;

/**
 * True when a database error means the database is unavailable or too busy right now (a timeout, a
 * lock not granted, a lost or refused connection): the client should retry, with the same keys.
 * TypeORM wraps query errors (`driverError`); connection errors arrive as pg raised them.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailable(error, RETRYABLE_SQLSTATES);
}

/**
 * True when the database cannot be reached or dropped the connection (refused, lost, shutting down,
 * too many connections: isDatabaseUnavailable less a transaction Postgres ended on its own, such as a
 * deadlock or a lock timeout). What works through many rows one transaction at a time (the expiry run)
 * stops on this, since every transaction after it would fail too, and skips a row that failed otherwise.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  return unavailable(error, UNREACHABLE_SQLSTATES);
}

function unavailable(error: unknown, sqlStates: ReadonlySet<string>): boolean {
  for (let e = error as { code?: unknown; severity?: unknown; message?: unknown; name?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.name === "string" && LOST_CONNECTION_ERRORS.has(e.name)) return true;
    const code = typeof e.code === "string" ? e.code : "";
    if (sqlStates.has(code) || code.startsWith("08") || NETWORK_ERRORS.has(code)) return true;
    // A FATAL error ends the session: the server refused the connection (not accepting connections, shutting down...).
    if (e.severity === "FATAL" || e.severity === "PANIC") return true;
    if (typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * The code a client is answered for an error as raised (before the formatter below): its own code, or,
 * for an error that has none, UPSTREAM_UNAVAILABLE when it means the database is unavailable and
 * INTERNAL_SERVER_ERROR otherwise. What reads the raw errors (the request log line, the audit trail's
 * FAILED lines) records this, so a database outage is never recorded as a bug the client was not told of.
 */
export function answeredCode(error: unknown): string {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  if (typeof code === "string" && code !== INTERNAL) return code;
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (original !== error && original instanceof GraphQLError) return answeredCode(original);
  return isDatabaseUnavailable(original) ? "UPSTREAM_UNAVAILABLE" : INTERNAL;
}

/** What a client sees for a database that is unavailable or too busy: never its internals. */
export const databaseUnavailable = () =>
  appError("UPSTREAM_UNAVAILABLE", "The service is busy or its database is unavailable; retry shortly with the same input (and the same idempotency key).", { retryable: true });

/**
 * Apollo `formatError`: errors we raised on purpose pass through; a database that is unavailable or
 * too busy becomes UPSTREAM_UNAVAILABLE (the one place this mapping lives, for every service); anything
 * else is logged and replaced by a generic message so internals (SQL, stack traces) never reach a
 * client, except in development.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError || (code && code !== INTERNAL)) {
      return withoutStacktrace(shortened(formatted));
    }
    if (isDatabaseUnavailable(original)) {
      log.warn("database unavailable", { error: (original as Error)?.message, path: formatted.path, requestId: requestIdOfError(error) });
      const { message, extensions } = databaseUnavailable();
      return { message, path: formatted.path, locations: formatted.locations, extensions };
    }
    log.error("unexpected error", { error: original, path: formatted.path, requestId: requestIdOfError(error) });
    if (isDevelopment()) return formatted;
    return { message: "Internal server error", path: formatted.path, locations: formatted.locations, extensions: { code: INTERNAL } };
  };
}

/** The longest message an answer carries; longer ones keep their start and end. */
export const MESSAGE_MAX_CHARACTERS = 1_000;

/**
 * A message cut to MESSAGE_MAX_CHARACTERS: graphql-js quotes a variable it refuses in full, and a
 * scalar's or an enum's own message quotes it again, so a 90 KB value answered 180 KB (every service,
 * and the gateway passing theirs on). Cut by position, never by a pattern over the client's text.
 */
export function shortened(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { message } = formatted;
  if (message.length <= MESSAGE_MAX_CHARACTERS) return formatted;
  const tail = 200;
  const head = MESSAGE_MAX_CHARACTERS - tail;
  return { ...formatted, message: `${message.slice(0, head)}… (${message.length - head - tail} characters left out) …${message.slice(-tail)}` };
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isDevelopment() || !formatted.extensions || !("stacktrace" in formatted.extensions)) return formatted;
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
