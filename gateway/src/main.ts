// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry, stopTelemetry } from "../../shared/src/telemetry";
startTelemetry("gateway");
import { setServiceIdentity } from "../../shared/src/auth/service-identity";
import { createLogger } from "../../shared/src/logger";
import { stopOnSignals } from "../../shared/src/shutdown";
import { isClusterPrimary, runPrimary } from "../../shared/src/workers";
import { loadGatewayConfig } from "./config";
import { createGateway } from "./gateway";
import { serveGateway } from "./server";

const log = createLogger("gateway");

async function main() {
  // Every setting, read and checked once: a bad one stops the start here, named.
  const config = loadGatewayConfig();
  if (isClusterPrimary(config.workers)) return runPrimary("gateway", config.workers, log);
  setServiceIdentity("gateway", config.secrets.service);
  const server = await serveGateway(createGateway(log, config), log, config);
  log.info("gateway ready", { url: server.url, supergraph: config.supergraphPath });
  process.send?.({ type: "ready", service: "gateway", url: server.url });
  stopOnSignals(log, async () => {
    await server.stop();
    await stopTelemetry();
  });
}

main().catch((error) => {
  log.error("gateway failed to start", { error });
  process.exit(1);
});
