import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "../identity";
import { type TrustedDocumentsMode, mayRun } from "./manifest";
import type { TrustedDocumentStore } from "./store";

// Thrown from a plugin, an error without an HTTP status is answered 500.
const clientError = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

/** Apollo Server's own answer to a hash that is not the SHA-256 of the query sent with it (HTTP 400, no code). */
const HASH_MISMATCH = "provided sha does not match query";

/** Apollo Server's answer to `extensions.persistedQuery.version` other than 1 (HTTP 400, no code): not a request we can read. */
const UNSUPPORTED_VERSION = "Unsupported persisted query version";

/** The code of Apollo Server's persisted-query errors that come without one (else the formatter would say INTERNAL_SERVER_ERROR). */
export const persistedQueryErrorCode = (message: string): string | undefined =>
  message === HASH_MISMATCH ? "PERSISTED_QUERY_HASH_MISMATCH" : message === UNSUPPORTED_VERSION ? "BAD_REQUEST" : undefined;

/**
 * Trusted documents in Apollo's persisted-query request shape (`extensions.persistedQuery.sha256Hash`,
 * POST or GET): a hash sent without `query` is looked up in the loaded manifests first (then in Apollo
 * Server's own automatic-persisted-query cache, as before). In `partners` mode a partner app's
 * operation runs only when its text is a trusted document, however it was sent (by hash or in full).
 * A subscription (this API has none) is the client's mistake, answered 400 with a code, not a 500.
 * Refusals are thrown from didResolveOperation: Apollo Server answers an error thrown from an earlier
 * hook with a 500, so an untrusted document is parsed and validated (within the query limits) first.
 */
export function trustedDocumentsPlugin(store: TrustedDocumentStore, mode: TrustedDocumentsMode): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const persisted = request.extensions?.persistedQuery as PersistedQueryExtension | undefined;
      if (request.query === undefined && persisted?.version === 1 && typeof persisted.sha256Hash === "string") {
        // Apollo Server then checks this hash against the text, as for a query sent with its hash.
        request.query = store.document(persisted.sha256Hash);
      }
      return {
        async didResolveOperation({ operation, queryHash, contextValue }) {
          // queryHash is Apollo Server's SHA-256 of the text it runs (checked against a sent hash).
          if (!mayRun(mode, contextValue.identity.kind, store.has(queryHash))) {
            throw clientError(
              "Partner apps may send only trusted documents (TRUSTED_DOCUMENTS=partners): send the hash of an operation from a registered manifest in extensions.persistedQuery.sha256Hash",
              "PERSISTED_QUERY_NOT_IN_LIST",
            );
          }
          if (operation?.operation === "subscription") {
            throw clientError("Subscriptions are not supported: this API answers queries and mutations over HTTP", "OPERATION_NOT_SUPPORTED");
          }
        },
      };
    },
  };
}
