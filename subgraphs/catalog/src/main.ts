// First, before anything loads http, undici or pg: OpenTelemetry patches them as they load (when enabled).
import { startTelemetry } from "../../../shared/src/telemetry";
startTelemetry("catalog");
import { runSubgraph } from "../../../shared/src/run-subgraph";
import { CancellationService } from "./redemption/cancellation.service";
import { RedemptionSaga } from "./redemption/redemption-saga";
import { RewardService } from "./reward/reward.service";
import { redemptionRecoveryAfterSeconds, redemptionSweepSeconds } from "./settings";
import { subgraph } from "./subgraph";

void runSubgraph({
  ...subgraph,
  // Redemptions (and cancellations) a crash or a lost answer left half-done are settled at start and then every few seconds.
  background: (dataSource, log) => {
    const rewards = new RewardService(dataSource);
    const saga = new RedemptionSaga(dataSource, rewards);
    const cancellations = new CancellationService(dataSource, rewards);
    const after = redemptionRecoveryAfterSeconds();
    const sweep = () =>
      void (async () => {
        await saga.recoverPending(after, log);
        await cancellations.finishInterrupted(after, log);
      })().catch((error) => log.warn("recovery sweep failed", { error: (error as Error).message }));
    sweep();
    const timer = setInterval(sweep, redemptionSweepSeconds() * 1000);
    return () => clearInterval(timer);
  },
});
