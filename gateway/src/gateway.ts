import { ApolloGateway, type GraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { type GraphQLFormattedError, parse } from "graphql";
import type { FetcherResponse } from "@apollo/utils.fetcher";
import { isDevelopment } from "../../shared/src/config";
import { PROOF_HEADER, signProof } from "../../shared/src/auth/proof";
import { createErrorFormatter, shortened } from "../../shared/src/errors";
import { type GatewayConfig, loadGatewayConfig, supergraphPathOf } from "./config";
import type { Logger } from "../../shared/src/logger";
import { REQUEST_ID_HEADER } from "../../shared/src/request-id";
import { cacheHintOf } from "./cache-control";
import { EntityCache, EntityCachingDataSource, PrivateAnswers } from "./entity-cache";
import { connectRedis, redisEntityCache } from "./redis";
import { type SubgraphFetcher, createSubgraphFetcher, timedFetcher } from "./subgraph-fetcher";
import { breakerFetcher } from "./subgraph-breaker";
import { fieldErrorsOf } from "./subgraph-error-paths";
import { deadlinePassed, subgraphHttpError, subgraphNetworkError } from "./subgraph-errors";
import { isOwnSubgraph, routingUrl } from "./subgraph-routing";
import { supergraphFromFile } from "./supergraph-file";
import { isUpstreamUnavailable } from "./upstream-status";
import { persistedQueryErrorCode } from "./trusted-documents/plugin";
import type { GatewayContext } from "./identity";

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource["process"]>>;

export const supergraphPath = () => supergraphPathOf(process.env);

/**
 * Sends the gateway's calls to one subgraph: signs every call to our own subgraphs (they answer nobody
 * else; a subgraph the project does not know gets no proof, `secret` null, subgraph-routing.ts) and
 * passes on the client request's id. What @apollo/gateway's RemoteGraphQLDataSource does for a call,
 * without its per-call node-fetch Request and Headers (built whether used or not: about 6% of the
 * gateway's CPU on the headline): the call as JSON, HTTP errors and unreachable subgraphs as the
 * codes in subgraph-errors.ts, and the subgraph's Cache-Control restricting the client's answer. A
 * call that failed as a whole for want of the subgraph answers its fields' errors, each at its path
 * (subgraph-error-paths.ts); other failures (refused input, credentials) stay request errors. Every
 * call of a request waits at most the time its request has left (GatewayContext.deadline); once that
 * is gone, a call is not sent and its fields are UPSTREAM_UNAVAILABLE, as if it had timed out.
 */
export class SignedDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    private readonly url: string,
    private readonly secret: string | null,
    private readonly fetcher: SubgraphFetcher,
    private readonly log: Logger,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      return await this.call(options);
    } catch (error) {
      if (!isUpstreamUnavailable(error)) throw error;
      // The fetch's operation, parsed only when a call failed (the planner keeps no document by default).
      const document = ("document" in options ? options.document : undefined) ?? parseOrUndefined(options.request.query);
      return { errors: fieldErrorsOf({ message: error.message, extensions: error.extensions }, document, options.request.variables) };
    }
  }

  private async call(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables, operationName, extensions } = options.request;
    if (!query) throw new Error("Missing query");
    const { deadline } = options.context;
    const incoming = "incomingRequestContext" in options ? options.incomingRequestContext : null;
    // Every failure below is logged with it (README: Logs under an outage), as the subgraphs log theirs.
    const requestId = incoming?.request.http?.headers.get(REQUEST_ID_HEADER) ?? undefined;
    const timeoutMs = deadline === undefined ? undefined : deadline - performance.now();
    if (timeoutMs !== undefined && timeoutMs <= 0) throw deadlinePassed(this.subgraph, this.log, requestId);
    const headers: Record<string, string> = {};
    for (const [name, value] of options.request.http?.headers ?? []) headers[name] = value;
    headers["content-type"] = "application/json";
    if (this.secret) headers[PROOF_HEADER] = signProof(options.context.identity ?? { kind: "anonymous" }, "gateway", this.secret, this.subgraph);
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    let response: FetcherResponse;
    try {
      response = await this.fetcher(this.url, { method: "POST", headers, body: JSON.stringify({ query, variables, operationName, extensions }), timeoutMs });
    } catch (error) {
      throw subgraphNetworkError(this.subgraph, error, this.log, requestId);
    }
    const body = await this.bodyOf(response, requestId);
    if (!response.ok) throw subgraphHttpError(this.subgraph, response.status, body, this.log, requestId);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw subgraphNetworkError(this.subgraph, new Error(`Expected a JSON answer, got: ${String(body).slice(0, 200)}`), this.log, requestId);
    const policy = incoming?.overallCachePolicy;
    if (policy && "restrict" in policy) policy.restrict(cacheHintOf(response.headers.get("cache-control")));
    return { ...(body as GatewayGraphQLResponse), http: response };
  }

  /** The answer's JSON when it says it is JSON, else its text; a body that cannot be read or parsed is an unreachable subgraph. */
  private async bodyOf(response: FetcherResponse, requestId: string | undefined): Promise<unknown> {
    try {
      const type = response.headers.get("content-type") ?? "";
      return type.startsWith("application/json") || type.startsWith("application/graphql-response+json") ? await response.json() : await response.text();
    } catch (error) {
      if (!response.ok) return undefined;
      throw subgraphNetworkError(this.subgraph, error, this.log, requestId);
    }
  }
}

function parseOrUndefined(query: string | undefined) {
  try {
    return query ? parse(query) : undefined;
  } catch {
    return undefined;
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
  // Answers kept for their caller alone never leave this process.
  const privateAnswers = config.entityCache ? new PrivateAnswers() : null;
  // Nothing we run calls the internet. Without this @apollo/gateway sends usage metrics to Apollo and,
  // to label them, probes cloud metadata servers: set here so a gateway started any way (its entry
  // run directly, a bench's in-process one) is as quiet as npm start, compose and the Dockerfile.
  process.env.APOLLO_TELEMETRY_DISABLED = "1";
  return new ApolloGateway({
    supergraphSdl: supergraphFromFile(config.supergraphPath, log, config.supergraphPollMs),
    // Query plans by operation. The headline's plan is about 2.5 KiB: 8 MiB keeps some 3,000 distinct
    // operations (Apollo's default of 30 MiB, per worker, is for far more).
    experimental_approximateQueryPlanStoreMiB: config.queryPlanCacheMiB,
    buildService: ({ name, url }) => {
      const subgraphUrl = routingUrl(name, url);
      const fetch = breakerFetcher(timedFetcher(fetcher, name), name, subgraphUrl, config.breaker);
      const signed = new SignedDataSource(name, subgraphUrl, isOwnSubgraph(name) ? secret : null, fetch, log);
      return entities ? new EntityCachingDataSource(name, signed, entities, privateAnswers) : signed;
    },
  });
}

// graphql-js reports an unknown enum literal as a validation failure; to a client it is bad input.
// Messages quote the client's values, so every check here reads a message once, left to right: the
// patterns these replace (`^Variable ".*" got invalid value .* Value ".*" does not exist in ".*" enum\.`,
// `\s*Did you mean [^?]*\?`) backtracked, and a crafted 5.9 KB variable held the event loop 5.6 s
// (test/unit/gateway-error-formatter.test.ts). An enum's name is a GraphQL name: no quote in it.
const ENUM_NOT_FOUND = /" does not exist in "[_A-Za-z][_0-9A-Za-z]*" enum\./;
const isUnknownEnumValue = (message: string) => message.startsWith('Value "') && ENUM_NOT_FOUND.test(message);
const isUnknownEnumVariable = (message: string) =>
  message.startsWith('Variable "') && message.includes('" got invalid value ') && message.includes(' Value "') && ENUM_NOT_FOUND.test(message);

// graphql-js's "Did you mean …?" (unknown fields, arguments, types, enum values, input fields): each one,
// wherever it stands (the cost limit joins a request's variable errors into one message with "; "), with
// the spaces before it. The names suggested are GraphQL names, which hold no "?".
function withoutSuggestions(message: string): string {
  let kept = "";
  let from = 0;
  for (let at = message.indexOf("Did you mean ", from); at >= 0; at = message.indexOf("Did you mean ", from)) {
    const end = message.indexOf("?", at);
    if (end < 0) break; // no "?" after this one: none after the later ones either
    kept += message.slice(from, at).trimEnd();
    from = end + 1;
  }
  return kept + message.slice(from);
}

/** `hideSuggestions` (when introspection is off): suggestions would spell out the schema one typo at a time. */
export function createGatewayErrorFormatter(log: Logger, { hideSuggestions = false } = {}) {
  const format = createErrorFormatter(log);
  // Every answer's message is cut to its start and end (`shortened`), whichever branch classified it:
  // an unknown enum value of 90 KB was answered twice over, 180 KB.
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => shortened(classified(formatted, error));
  function classified(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    if (hideSuggestions && formatted.message.includes("Did you mean")) formatted = { ...formatted, message: withoutSuggestions(formatted.message) };
    const { limitCode, ...extensions } = formatted.extensions ?? {};
    if (typeof limitCode === "string") return { ...formatted, extensions: { ...extensions, code: limitCode } };
    const persistedQueryCode = persistedQueryErrorCode(formatted.message);
    if (persistedQueryCode) return { ...formatted, extensions: { ...extensions, code: persistedQueryCode } };
    if (isUnknownEnumValue(formatted.message) || isUnknownEnumVariable(formatted.message)) {
      return { ...formatted, extensions: { ...(isDevelopment() ? formatted.extensions : {}), code: "BAD_USER_INPUT" } };
    }
    return format(formatted, error);
  }
}
