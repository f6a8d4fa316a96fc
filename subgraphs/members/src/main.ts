// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry } from "../../../shared/src/telemetry";
startTelemetry("members");
import { intFromEnv } from "../../../shared/src/config";
import { runSubgraph } from "../../../shared/src/run-subgraph";
import { ErasureSaga } from "./member-data/erasure.saga";
import { subgraph } from "./subgraph";

void runSubgraph({
  ...subgraph,
  // Erasures a crash or an unreachable ledger left open are finished at start and then every few seconds.
  background: (dataSource, log) => {
    const erasures = new ErasureSaga(dataSource);
    const sweep = () => void erasures.finishOpen(log).catch((error) => log.warn("erasure sweep failed", { error: (error as Error).message }));
    sweep();
    const timer = setInterval(sweep, intFromEnv("ERASURE_SWEEP_SECONDS", 15) * 1000);
    return () => clearInterval(timer);
  },
});
