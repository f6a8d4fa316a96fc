import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { GraphQLError, type GraphQLFormattedError } from "graphql";

/** Seconds a client is asked to wait before retrying an answer that is only UPSTREAM_UNAVAILABLE. */
export const UPSTREAM_RETRY_AFTER_SECONDS = 1;

/**
 * The HTTP status of an answer. An answer with no data whose every error is UPSTREAM_UNAVAILABLE
 * (a service, database or network failed; nothing the client sent was wrong) is HTTP 503 with
 * `Retry-After`, which HTTP client libraries and proxies retry; so is one whose every top-level field
 * is null (`{ member: null }`: nothing to say either). An answer with some data (e.g. a member read
 * while the ledger is down: its ledger fields null) stays 200, since the data is worth having. Any
 * other error keeps GraphQL's status.
 */
export function statusForAnswer(data: unknown, errors: readonly GraphQLFormattedError[] | undefined): 503 | undefined {
  if (!errors?.length || !saysNothing(data)) return undefined;
  return errors.every((error) => error.extensions?.code === "UPSTREAM_UNAVAILABLE") ? 503 : undefined;
}

const saysNothing = (data: unknown) => data === undefined || data === null || (typeof data === "object" && Object.values(data).every((field) => field === null));

/**
 * Whether an error thrown before execution (the context: identity checks that ask the members or
 * partners service) is a failure of a service, database or network rather than of the credential.
 */
export const isUpstreamUnavailable = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError && error.extensions?.code === "UPSTREAM_UNAVAILABLE";

/**
 * Such an error as the answer it is: no data, so HTTP 503 with `Retry-After`, as statusForAnswer gives
 * an executed request (Apollo Server answers any other error out of the context with HTTP 500).
 */
export function unavailableBeforeExecution(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: {
      ...error.extensions,
      code: "UPSTREAM_UNAVAILABLE",
      http: { status: 503, headers: new HeaderMap([["retry-after", String(UPSTREAM_RETRY_AFTER_SECONDS)]]) },
    },
  });
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
