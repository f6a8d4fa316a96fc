import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { GatewayContext } from "../gateway";
import { type TrustedDocumentsMode, documentHash, mayRun } from "./manifest";
import type { TrustedDocumentStore } from "./store";

// Thrown from a plugin, an error without an HTTP status is answered 500.
const clientError = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

/**
 * Trusted documents in Apollo's persisted-query request shape (`extensions.persistedQuery.sha256Hash`,
 * POST or GET): a hash sent without `query` is looked up in the loaded manifests first (then in Apollo
 * Server's own automatic-persisted-query cache, as before). In `partners` mode a partner app's
 * operation runs only when its text is a trusted document, however it was sent (by hash or in full).
 * Also: a hash that does not match the query sent with it, and a subscription (this API has none),
 * are the client's mistakes, answered 400 with a code instead of a 500.
 */
export function trustedDocumentsPlugin(store: TrustedDocumentStore, mode: TrustedDocumentsMode): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const persisted = request.extensions?.persistedQuery as PersistedQueryExtension | undefined;
      if (persisted && persisted.version === 1) {
        if (typeof persisted.sha256Hash !== "string") throw clientError("extensions.persistedQuery.sha256Hash must be a string", "BAD_REQUEST");
        if (request.query === undefined) {
          request.query = store.document(persisted.sha256Hash);
        } else if (typeof request.query === "string" && documentHash(request.query) !== persisted.sha256Hash) {
          throw clientError("extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it", "PERSISTED_QUERY_HASH_MISMATCH");
        }
      }
      return {
        async didResolveSource({ queryHash, contextValue }) {
          // queryHash is Apollo Server's SHA-256 of the text it is about to run (checked against a sent hash).
          if (!mayRun(mode, contextValue.identity.kind, store.has(queryHash))) {
            throw clientError(
              "Partner apps may send only trusted documents (TRUSTED_DOCUMENTS=partners): send the hash of an operation from a registered manifest in extensions.persistedQuery.sha256Hash",
              "PERSISTED_QUERY_NOT_IN_LIST",
            );
          }
        },
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription") {
            throw clientError("Subscriptions are not supported: this API answers queries and mutations over HTTP", "OPERATION_NOT_SUPPORTED");
          }
        },
      };
    },
  };
}
