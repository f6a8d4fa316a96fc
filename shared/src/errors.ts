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
 * Apollo `formatError`: errors we raised on purpose pass through; anything else is logged and
 * replaced by a generic message so internals (SQL, stack traces) never reach a client,
 * except in development.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError || (code && code !== INTERNAL)) {
      return withoutStacktrace(formatted);
    }
    log.error("unexpected error", { error: original, path: formatted.path, requestId: requestIdOfError(error) });
    if (isDevelopment()) return formatted;
    return { message: "Internal server error", path: formatted.path, locations: formatted.locations, extensions: { code: INTERNAL } };
  };
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isDevelopment() || !formatted.extensions || !("stacktrace" in formatted.extensions)) return formatted;
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
