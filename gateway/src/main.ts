// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry, stopTelemetry } from "../../shared/src/telemetry";
startTelemetry("gateway");
import { refusePlaceholderSecrets } from "../../shared/src/auth/placeholder-secrets";
import { proofSecrets } from "../../shared/src/auth/proof";
import { setServiceIdentity } from "../../shared/src/auth/service-identity";
import { createLogger } from "../../shared/src/logger";
import { stopOnSignals } from "../../shared/src/shutdown";
import { isClusterPrimary, runPrimary, workerCount } from "../../shared/src/workers";
import { createGateway, supergraphPath } from "./gateway";
import { serveGateway } from "./server";

const log = createLogger("gateway");

async function main() {
  refusePlaceholderSecrets();
  const workers = workerCount();
  if (isClusterPrimary(workers)) return runPrimary("gateway", workers, log);
  setServiceIdentity("gateway", proofSecrets().service);
  const server = await serveGateway(createGateway(log), log);
  log.info("gateway ready", { url: server.url, supergraph: supergraphPath() });
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
