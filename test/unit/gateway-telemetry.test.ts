import * as apolloTelemetry from "@apollo/gateway/dist/utilities/opentelemetry";
import { loadGatewayConfig } from "../../gateway/src/config";
import { createGateway } from "../../gateway/src/gateway";
import { createLogger } from "../../shared/src/logger";

/**
 * Nothing we run calls the internet: a gateway created without APOLLO_TELEMETRY_DISABLED in its
 * environment (its entry run directly, not through npm start, compose or the Dockerfile) still never
 * creates @apollo/gateway's usage-reporting exporter, which sends metrics to Apollo and probes cloud
 * metadata servers.
 */
it("creates no usage-reporting exporter, whatever the environment says", async () => {
  const exporter = jest.spyOn(apolloTelemetry, "createDataCollectionExporter");
  const saved = process.env.APOLLO_TELEMETRY_DISABLED;
  delete process.env.APOLLO_TELEMETRY_DISABLED;
  try {
    const config = loadGatewayConfig({ GATEWAY_SECRET: "g".repeat(32), SERVICE_SECRET: "s".repeat(32), JWT_SECRET: "j".repeat(32), NODE_ENV: "test" });
    const gateway = createGateway(createLogger("test"), { ...config, entityCache: false });
    expect(exporter).not.toHaveBeenCalled();
    await gateway.stop();
  } finally {
    process.env.APOLLO_TELEMETRY_DISABLED = saved;
    exporter.mockRestore();
  }
});
