// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry } from "../../../shared/src/telemetry";
startTelemetry("catalog");
import { intFromEnv } from "../../../shared/src/config";
import { runSubgraph } from "../../../shared/src/run-subgraph";
import { CancellationService } from "./redemption/cancellation.service";
import { RedemptionSaga } from "./redemption/redemption-saga";
import { RewardService } from "./reward/reward.service";
import { subgraph } from "./subgraph";

void runSubgraph({
  ...subgraph,
  // Redemptions (and cancellations) a crash or a lost answer left half-done are settled at start and then every few seconds.
  background: (dataSource, log) => {
    const rewards = new RewardService(dataSource);
    const saga = new RedemptionSaga(dataSource, rewards);
    const cancellations = new CancellationService(dataSource, rewards);
    const after = intFromEnv("REDEMPTION_RECOVERY_AFTER_SECONDS", 30);
    const sweep = () =>
      void (async () => {
        await saga.recoverPending(after, log);
        await cancellations.finishInterrupted(after, log);
      })().catch((error) => log.warn("recovery sweep failed", { error: (error as Error).message }));
    sweep();
    const timer = setInterval(sweep, intFromEnv("REDEMPTION_SWEEP_SECONDS", 15) * 1000);
    return () => clearInterval(timer);
  },
});
