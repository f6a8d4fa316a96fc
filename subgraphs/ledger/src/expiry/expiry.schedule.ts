import type { DataSource } from "typeorm";
import type { Logger } from "../../../../shared/src/logger";
import type { Clock } from "../clock";
import { expireDueLots } from "./expiry.service";

const MAX_SECONDS = 24 * 86_400;

/**
 * The ledger posts the expiry of due lots itself, so no operator has to schedule `ledger:expire`: once
 * at start (catching up after downtime), then every `seconds` (0: never, for an operator who runs the
 * tool on a schedule of their own). One run at a time in this process; a run elsewhere at once (the
 * tool, another ledger) expires nothing twice.
 */
export function scheduleExpiry(dataSource: DataSource, clock: Clock, log: Logger, seconds: number): () => void {
  if (seconds === 0) return () => {};
  // Node's timers overflow past 2^31 ms (about 24.8 days) and then fire at once, over and over.
  if (seconds > MAX_SECONDS) throw new Error(`EXPIRY_RUN_SECONDS must be at most ${MAX_SECONDS} (24 days), got ${seconds}`);
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    expireDueLots(dataSource, clock.now())
      .then((expired) => {
        if (expired.lots) log.info("expired points", { ...expired });
      })
      .catch((error) => log.warn("expiry run failed", { error: (error as Error).message }))
      .finally(() => {
        running = false;
      });
  };
  run();
  const timer = setInterval(run, seconds * 1000);
  return () => clearInterval(timer);
}
