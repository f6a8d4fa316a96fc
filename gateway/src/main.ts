import { GATEWAY_DEFAULT_PORT, intFromEnv, isDevelopment } from "../../shared/src/config";
import { serveGraphQL } from "../../shared/src/http-server";
import { createLogger } from "../../shared/src/logger";
import { createGateway, createGatewayErrorFormatter, supergraphPath } from "./gateway";

const log = createLogger("gateway");

async function main() {
  const server = await serveGraphQL({
    port: intFromEnv("GATEWAY_PORT", GATEWAY_DEFAULT_PORT),
    apollo: {
      gateway: createGateway(),
      formatError: createGatewayErrorFormatter(log),
      includeStacktraceInErrorResponses: isDevelopment(),
    },
    context: async () => ({}),
  });
  log.info("gateway ready", { url: server.url, supergraph: supergraphPath() });
  process.send?.({ type: "ready", service: "gateway", url: server.url });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  log.error("gateway failed to start", { error });
  process.exit(1);
});
