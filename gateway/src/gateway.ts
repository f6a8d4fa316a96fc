import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import type { GraphQLFormattedError } from "graphql";
import type { Fetcher, FetcherResponse } from "@apollo/utils.fetcher";
import { isDevelopment } from "../../shared/src/config";
import { type Identity, PROOF_HEADER, signProof } from "../../shared/src/auth/proof";
import { createErrorFormatter } from "../../shared/src/errors";
import { type GatewayConfig, loadGatewayConfig, supergraphPathOf } from "./config";
import type { Logger } from "../../shared/src/logger";
import { REQUEST_ID_HEADER } from "../../shared/src/request-id";
import { EntityCache, EntityCachingDataSource } from "./entity-cache";
import { connectRedis, redisEntityCache } from "./redis";
import { createSubgraphFetcher, timedFetcher } from "./subgraph-fetcher";
import { breakerFetcher } from "./subgraph-breaker";
import { subgraphHttpError, subgraphNetworkError } from "./subgraph-errors";
import { isOwnSubgraph, routingUrl } from "./subgraph-routing";
import { supergraphFromFile } from "./supergraph-file";
import { persistedQueryErrorCode } from "./trusted-documents/plugin";

export interface GatewayContext {
  identity: Identity;
}

export const supergraphPath = () => supergraphPathOf(process.env);

/**
 * Signs every request to our own subgraphs (they answer nobody else) and passes on the client
 * request's id; a subgraph the project does not know gets no proof (`secret` null, subgraph-routing.ts).
 */
class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly secret: string | null,
    fetcher: Fetcher,
    private readonly log: Logger,
  ) {
    super({ url, fetcher });
  }

  override async errorFromResponse(response: FetcherResponse) {
    return subgraphHttpError(this.subgraph, response.status, await this.parseBody(response).catch(() => undefined), this.log);
  }

  override didEncounterError(error: Error): never {
    throw subgraphNetworkError(this.subgraph, error, this.log);
  }

  override willSendRequest(options: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>["willSendRequest"]>>[0]) {
    const { request, context } = options;
    if (this.secret) request.http?.headers.set(PROOF_HEADER, signProof(context.identity ?? { kind: "anonymous" }, "gateway", this.secret));
    const requestId = "incomingRequestContext" in options ? options.incomingRequestContext.request.http?.headers.get(REQUEST_ID_HEADER) : undefined;
    if (requestId) request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }
}

/**
 * The gateway loads the supergraph composed at build time (or SUPERGRAPH_PATH) and follows changes
 * to that file; each subgraph's URL is its routing URL there unless `<NAME>_URL` overrides it.
 */
export function createGateway(log: Logger, config: GatewayConfig = loadGatewayConfig()): ApolloGateway {
  const { gateway: secret } = config.secrets;
  const fetcher = createSubgraphFetcher({ connectionsPerOrigin: config.subgraphConnections, timeoutMs: config.subgraphTimeoutMs });
  // Shared by every gateway process through Redis when there is one; in this process's memory first.
  const entities = config.entityCache ? new EntityCache(config.redisUrl ? redisEntityCache(connectRedis(config.redisUrl, log), log) : null) : null;
  return new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.supergraphPath, log, config.supergraphPollMs),
    // Query plans by operation. The headline's plan is about 2.5 KiB: 8 MiB keeps some 3,000 distinct
    // operations (Apollo's default of 30 MiB, per worker, is for far more).
    experimental_approximateQueryPlanStoreMiB: config.queryPlanCacheMiB,
    buildService: ({ name, url }) => {
      const fetch = breakerFetcher(timedFetcher(fetcher, name), name, config.breaker);
      const signed = new SignedDataSource(name, routingUrl(name, url), isOwnSubgraph(name) ? secret : null, fetch, log);
      return entities ? new EntityCachingDataSource(name, signed, entities) : signed;
    },
  });
}

// graphql-js reports an unknown enum literal as a validation failure; to a client it is bad input.
const UNKNOWN_ENUM_VALUE = /^Value ".*" does not exist in ".*" enum\./;
const UNKNOWN_ENUM_VARIABLE = /^Variable ".*" got invalid value .* Value ".*" does not exist in ".*" enum\./;

// graphql-js's "Did you mean …?" (unknown fields, arguments, types, enum values, input fields).
const SUGGESTION = /\s*Did you mean .*\?$/s;

/** `hideSuggestions` (when introspection is off): suggestions would spell out the schema one typo at a time. */
export function createGatewayErrorFormatter(log: Logger, { hideSuggestions = false } = {}) {
  const format = createErrorFormatter(log);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (hideSuggestions && formatted.message.includes("Did you mean")) formatted = { ...formatted, message: formatted.message.replace(SUGGESTION, "") };
    const { limitCode, ...extensions } = formatted.extensions ?? {};
    if (typeof limitCode === "string") return { ...formatted, extensions: { ...extensions, code: limitCode } };
    const persistedQueryCode = persistedQueryErrorCode(formatted.message);
    if (persistedQueryCode) return { ...formatted, extensions: { ...extensions, code: persistedQueryCode } };
    if (UNKNOWN_ENUM_VALUE.test(formatted.message) || UNKNOWN_ENUM_VARIABLE.test(formatted.message)) {
      return { ...formatted, extensions: { ...(isDevelopment() ? formatted.extensions : {}), code: "BAD_USER_INPUT" } };
    }
    return format(formatted, error);
  };
}
