import { GATEWAY_DEFAULT_PORT, intFromEnv, isDevelopment } from "../../shared/src/config";
import { serveGraphQL } from "../../shared/src/http-server";
import { createLogger } from "../../shared/src/logger";
import { stopOnSignals } from "../../shared/src/shutdown";
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

  stopOnSignals(log, () => server.stop());
}

main().catch((error) => {
  log.error("gateway failed to start", { error });
  process.exit(1);
});
