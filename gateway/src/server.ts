import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { GATEWAY_DEFAULT_PORT, intFromEnv, isDevelopment } from "../../shared/src/config";
import { corsPolicy } from "../../shared/src/cors";
import { type GraphQLHttpServer, serveGraphQL } from "../../shared/src/http-server";
import type { Logger } from "../../shared/src/logger";
import { metricsToken } from "../../shared/src/metrics";
import { type GatewayContext, createGatewayErrorFormatter } from "./gateway";
import { Identifier, tokenVerification } from "./identity";
import { aliasLimit, costLimit, depthLimit, limits } from "./limits";
import { anonymousLimit, createRateLimiter, rateLimitFor, rateLimited, rateLimits } from "./rate-limit";

/**
 * The gateway's HTTP server around any gateway (ours over HTTP, or the benchmark's in-process one):
 * identity, rate limits and query limits come before execution.
 */
export async function serveGateway(gateway: GatewayInterface, log: Logger): Promise<GraphQLHttpServer> {
  const production = process.env.NODE_ENV === "production";
  const identifier = new Identifier(tokenVerification());
  const rates = rateLimits();
  const rateLimiter = createRateLimiter(log, rates.perCaller);
  const limit = limits();
  const landingPage = !production || process.env.ENABLE_LANDING_PAGE === "1";
  const introspection = !production || process.env.ENABLE_INTROSPECTION === "1";
  if (production && !metricsToken() && process.env.METRICS_OPEN === "1") log.warn("GET /metrics is open to anyone who reaches the gateway (METRICS_OPEN=1): set METRICS_TOKEN instead");
  const server = await serveGraphQL<GatewayContext>({
    port: intFromEnv("GATEWAY_PORT", GATEWAY_DEFAULT_PORT),
    apollo: {
      gateway,
      formatError: createGatewayErrorFormatter(log, { hideSuggestions: !introspection }),
      includeStacktraceInErrorResponses: isDevelopment(),
      introspection,
      csrfPrevention: true,
      parseOptions: { maxTokens: limit.maxTokens },
      validationRules: [depthLimit(limit.maxDepth), aliasLimit(limit.maxAliases)],
      plugins: [
        costLimit(limit.maxCost, limit.defaultListSize),
        // Apollo Sandbox embedded in the page, pointing at the page's own URL (/graphql); no telemetry from it.
        landingPage ? ApolloServerPluginLandingPageLocalDefault({ embed: { runTelemetry: false }, footer: false }) : ApolloServerPluginLandingPageDisabled(),
      ],
    },
    cors: corsPolicy(),
    log,
    // The bare origin leads to Sandbox at /graphql: the embedded Sandbox sends its requests to the page's own URL.
    routes: (app) => app.get("/", (_req, res, next) => (landingPage ? res.redirect(302, "/graphql") : next())),
    maxBodyBytes: intFromEnv("REQUEST_MAX_BYTES", 100_000),
    maxBatchOperations: process.env.ALLOW_BATCHING === "1" ? intFromEnv("MAX_BATCH_OPERATIONS", 10) : 0,
    context: async (req) => {
      let identity;
      try {
        identity = await identifier.identify(req.headers);
      } catch (error) {
        // A refused credential counts against its address like an anonymous request: guessing
        // tokens or API keys (each unknown key costs a lookup) is limited too.
        const limit = anonymousLimit(req, rates);
        const retryAfter = limit ? await rateLimiter.hit(limit.key, limit.limit) : null;
        throw retryAfter === null ? error : rateLimited(retryAfter);
      }
      const apiKey = req.headers["x-api-key"];
      const limit = rateLimitFor(identity, typeof apiKey === "string" ? apiKey : undefined, req, rates);
      const retryAfter = limit ? await rateLimiter.hit(limit.key, limit.limit) : null;
      if (retryAfter !== null) throw rateLimited(retryAfter);
      return { identity };
    },
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await rateLimiter.close();
    },
  };
}
