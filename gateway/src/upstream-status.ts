import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";

/** Seconds a client is asked to wait before retrying an answer that is only UPSTREAM_UNAVAILABLE. */
export const UPSTREAM_RETRY_AFTER_SECONDS = 1;

/**
 * The HTTP status of an answer. An answer with no data whose every error is UPSTREAM_UNAVAILABLE
 * (a service, database or network failed; nothing the client sent was wrong) is HTTP 503 with
 * `Retry-After`, which HTTP client libraries and proxies retry; an answer with some data (e.g. a
 * member read while the ledger is down: its ledger fields null, each with UPSTREAM_UNAVAILABLE)
 * stays 200, since the data is worth having. Any other error keeps GraphQL's status.
 */
export function statusForAnswer(data: unknown, errors: readonly GraphQLFormattedError[] | undefined): 503 | undefined {
  if (!errors?.length || (data !== undefined && data !== null)) return undefined;
  return errors.every((error) => error.extensions?.code === "UPSTREAM_UNAVAILABLE") ? 503 : undefined;
}

/** Applies statusForAnswer to every single-result answer. */
export function upstreamStatus(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const { data, errors } = response.body.singleResult;
          const status = statusForAnswer(data, errors);
          if (!status) return;
          response.http.status = status;
          response.http.headers.set("retry-after", String(UPSTREAM_RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}
