import { GraphQLError } from "graphql";
import type { Logger } from "../../shared/src/logger";

/** Subgraph codes that mean the client's input was refused (a scalar it could not parse, a bad variable). */
const INPUT_CODES = new Set(["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"]);

interface SubgraphErrorBody {
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/**
 * What a client sees when a subgraph answers a gateway call with an HTTP error. @apollo/gateway's
 * default is `400: 400` with code INTERNAL_SERVER_ERROR and the subgraph's URL and body in the
 * extensions: an impossible date (2026-02-30) looked like our failure and told the caller where the
 * services live. Here: input a subgraph refused is BAD_USER_INPUT with its messages; a subgraph that
 * is down or overloaded is UPSTREAM_UNAVAILABLE (retryable); 401/403 keep their meaning; nothing
 * internal is returned (it is logged).
 */
export function subgraphHttpError(subgraph: string, status: number, body: unknown, log: Logger, requestId?: string): GraphQLError {
  const errors = (typeof body === "object" && body !== null ? (body as SubgraphErrorBody).errors : undefined) ?? [];
  if (status === 400 && errors.length && errors.every((e) => INPUT_CODES.has(String(e.extensions?.code)))) {
    return new GraphQLError(errors.map((e) => String(e.message)).join("; "), { extensions: { code: "BAD_USER_INPUT" } });
  }
  if (status === 401) return new GraphQLError("Sign in first: send a bearer token or an API key", { extensions: { code: "UNAUTHENTICATED" } });
  if (status === 403) return new GraphQLError("You are not allowed to do this", { extensions: { code: "FORBIDDEN" } });
  log.warn("subgraph answered an HTTP error", { subgraph, status, body: typeof body === "string" ? body.slice(0, 500) : body, requestId });
  if (status === 429 || status >= 500) return unavailable(subgraph);
  return new GraphQLError("Internal server error", { extensions: { code: "INTERNAL_SERVER_ERROR" } });
}

/** A subgraph that could not be reached at all (refused, reset, timed out). Logged with the client request's id, like every failure. */
export function subgraphNetworkError(subgraph: string, error: unknown, log: Logger, requestId?: string): GraphQLError {
  if (error instanceof GraphQLError) return error;
  log.warn("subgraph unreachable", { subgraph, error: (error as Error)?.message, requestId });
  return unavailable(subgraph);
}

/** A call not sent: its request's deadline (GATEWAY_REQUEST_TIMEOUT_MS) had passed. To the client, a timeout. */
export function deadlinePassed(subgraph: string, log: Logger, requestId?: string): GraphQLError {
  log.warn("request deadline passed, subgraph not called", { subgraph, requestId });
  return unavailable(subgraph);
}

const unavailable = (subgraph: string) =>
  new GraphQLError(`The ${subgraph} service is unavailable; try again shortly`, { extensions: { code: "UPSTREAM_UNAVAILABLE" } });
