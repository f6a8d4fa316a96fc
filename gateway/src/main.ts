import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { proofSecrets } from "../../shared/src/auth/proof";
import { setServiceIdentity } from "../../shared/src/auth/service-identity";
import { GATEWAY_DEFAULT_PORT, intFromEnv, isDevelopment } from "../../shared/src/config";
import { serveGraphQL } from "../../shared/src/http-server";
import { createLogger } from "../../shared/src/logger";
import { stopOnSignals } from "../../shared/src/shutdown";
import { createGateway, createGatewayErrorFormatter, supergraphPath } from "./gateway";
import { Identifier, tokenVerification } from "./identity";
import { aliasLimit, costLimit, depthLimit, limits } from "./limits";
import { createRateLimiter, rateLimitKey, rateLimited } from "./rate-limit";

const log = createLogger("gateway");

async function main() {
  const production = process.env.NODE_ENV === "production";
  const secrets = proofSecrets();
  setServiceIdentity("gateway", secrets.service);
  const identifier = new Identifier(tokenVerification());
  const rateLimiter = createRateLimiter(log);
  const limit = limits();
  const server = await serveGraphQL({
    port: intFromEnv("GATEWAY_PORT", GATEWAY_DEFAULT_PORT),
    apollo: {
      gateway: createGateway(),
      formatError: createGatewayErrorFormatter(log),
      includeStacktraceInErrorResponses: isDevelopment(),
      introspection: !production || process.env.ENABLE_INTROSPECTION === "1",
      csrfPrevention: true,
      parseOptions: { maxTokens: limit.maxTokens },
      validationRules: [depthLimit(limit.maxDepth), aliasLimit(limit.maxAliases)],
      plugins: [
        costLimit(limit.maxCost, limit.defaultListSize),
        ...(production && process.env.ENABLE_LANDING_PAGE !== "1" ? [ApolloServerPluginLandingPageDisabled()] : []),
      ],
    },
    maxBodyBytes: intFromEnv("REQUEST_MAX_BYTES", 100_000),
    maxBatchOperations: process.env.ALLOW_BATCHING === "1" ? intFromEnv("MAX_BATCH_OPERATIONS", 10) : 0,
    context: async (req) => {
      const identity = await identifier.identify(req.headers);
      const apiKey = req.headers["x-api-key"];
      const key = rateLimitKey(identity, typeof apiKey === "string" ? apiKey : undefined);
      const retryAfter = key ? await rateLimiter.hit(key) : null;
      if (retryAfter !== null) throw rateLimited(retryAfter);
      return { identity };
    },
  });
  log.info("gateway ready", { url: server.url, supergraph: supergraphPath() });
  process.send?.({ type: "ready", service: "gateway", url: server.url });

  stopOnSignals(log, async () => {
    await server.stop();
    await rateLimiter.close();
  });
}

main().catch((error) => {
  log.error("gateway failed to start", { error });
  process.exit(1);
});
