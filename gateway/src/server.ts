import { readFileSync } from "node:fs";
import type { GatewayInterface } from "@apollo/server-gateway-interface";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { isDevelopment } from "../../shared/src/config";
import { corsPolicy } from "../../shared/src/cors";
import { type GraphQLHttpServer, operationsIn, serveGraphQL } from "../../shared/src/http-server";
import type { Logger } from "../../shared/src/logger";
import { metricsToken } from "../../shared/src/metrics";
import { type GatewayConfig, loadGatewayConfig } from "./config";
import { explorerAvailable, serveExplorer } from "./explorer";
import { createGatewayErrorFormatter } from "./gateway";
import { type GatewayContext, Identifier } from "./identity";
import { aliasLimit, costLimit, depthLimit } from "./limits";
import { readinessHandler } from "./readiness";
import { errorPathsWithinAnswer } from "./subgraph-error-paths";
import { isUpstreamUnavailable, unavailableBeforeExecution, upstreamStatus } from "./upstream-status";
import { anonymousLimit, createRateLimiter, rateLimitFor, rateLimited } from "./rate-limit";
import { CSRF_PREFLIGHT_HEADERS } from "./csrf";
import { trustedDocumentsPlugin } from "./trusted-documents/plugin";
import { varyPrivateAnswers } from "./cache-control";
import { trustedDocumentRoutes } from "./trusted-documents/routes";
import { TrustedDocumentStore } from "./trusted-documents/store";
import { surfacingValueCompletion } from "./value-completion";

/**
 * The gateway's HTTP server around any gateway (ours over HTTP, or the benchmark's in-process one):
 * identity, rate limits and query limits come before execution.
 */
export async function serveGateway(gateway: GatewayInterface, log: Logger, config: GatewayConfig = loadGatewayConfig()): Promise<GraphQLHttpServer> {
  const { production, landingPage, introspection } = config;
  const identifier = new Identifier(config.tokens);
  const rates = config.rateLimits;
  const rateLimiter = createRateLimiter(log, rates.perCaller, config.redisUrl);
  const limit = config.limits;
  // The offline explorer needs its dev-dependency packages; without them `/` leads to Sandbox as before.
  const explorer = config.explorer && explorerAvailable();
  if (config.explorer && !explorer) log.warn("explorer packages (graphiql, react, react-dom) not installed: / leads to Apollo Sandbox, which needs internet access");
  const trustedDocuments = new TrustedDocumentStore(config.trustedDocuments.dir, log);
  await trustedDocuments.start(config.trustedDocuments.pollMs);
  if (config.trustedDocuments.mode === "partners" && trustedDocuments.size === 0) log.warn("TRUSTED_DOCUMENTS=partners and no trusted document loaded: partner apps can run nothing", { dir: config.trustedDocuments.dir });
  if (production && !metricsToken() && config.metricsOpen) log.warn("GET /metrics is open to anyone who reaches the gateway (METRICS_OPEN=1): set METRICS_TOKEN instead");
  const server = await serveGraphQL<GatewayContext>({
    port: config.port,
    apollo: {
      // A subgraph's value its schema does not allow is an error in the answer, not a silent null.
      gateway: surfacingValueCompletion(gateway),
      formatError: createGatewayErrorFormatter(log, { hideSuggestions: !introspection }),
      includeStacktraceInErrorResponses: isDevelopment(),
      introspection,
      csrfPrevention: { requestHeaders: CSRF_PREFLIGHT_HEADERS },
      parseOptions: { maxTokens: limit.maxTokens },
      validationRules: [depthLimit(limit.maxDepth), aliasLimit(limit.maxAliases)],
      plugins: [
        trustedDocumentsPlugin(trustedDocuments, config.trustedDocuments.mode),
        costLimit(limit.maxCost, limit.defaultListSize),
        upstreamStatus(),
        varyPrivateAnswers(),
        // The supergraph says which fields require which: an error at a field fetched for another moves to that one.
        errorPathsWithinAnswer(() => readFileSync(config.supergraphPath, "utf8")),
        // Apollo Sandbox embedded in the page, pointing at the page's own URL (/graphql); no telemetry from it.
        landingPage ? ApolloServerPluginLandingPageLocalDefault({ embed: { runTelemetry: false }, footer: false }) : ApolloServerPluginLandingPageDisabled(),
      ],
    },
    cors: corsPolicy(),
    log,
    // `/`: the offline explorer outside production; else, with a landing page, Sandbox at /graphql
    // (the embedded Sandbox sends its requests to the page's own URL). `/ready`: readiness, from the subgraphs.
    routes: (app) => {
      if (explorer) serveExplorer(app, { demoTokensFile: config.demoTokensFile, log });
      else app.get("/", (_req, res, next) => (landingPage ? res.redirect(302, "/graphql") : next()));
      app.get("/ready", readinessHandler());
      trustedDocumentRoutes(app, trustedDocuments, identifier);
    },
    maxBodyBytes: config.requestMaxBytes,
    admission: config.admission,
    maxBatchOperations: config.maxBatchOperations,
    context: async (req) => {
      // The request has just left the admission queue: its subgraph calls share one deadline from here.
      const deadline = performance.now() + config.requestTimeoutMs;
      let identity;
      try {
        identity = await identifier.identify(req.headers);
      } catch (error) {
        // The members or partners service (or its database) could not answer: nothing is wrong with the credential.
        if (isUpstreamUnavailable(error)) throw unavailableBeforeExecution(error);
        // A refused credential counts against its address like an anonymous request: guessing
        // tokens or API keys (each unknown key costs a lookup) is limited too.
        const limit = anonymousLimit(req, rates);
        const retryAfter = limit ? await rateLimiter.hit(limit.key, limit.limit) : null;
        throw retryAfter === null ? error : rateLimited(retryAfter);
      }
      const apiKey = req.headers["x-api-key"];
      const limit = rateLimitFor(identity, typeof apiKey === "string" ? apiKey : undefined, req, rates);
      // A batch (ALLOW_BATCHING=1) is charged each of its operations, as many requests would be.
      const retryAfter = limit ? await rateLimiter.hit(limit.key, limit.limit, operationsIn(req)) : null;
      if (retryAfter !== null) throw rateLimited(retryAfter);
      return { identity, deadline };
    },
  });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      trustedDocuments.stop();
      await rateLimiter.close();
    },
  };
}
