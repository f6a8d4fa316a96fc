import type { DataSource } from "typeorm";
import type { Logger } from "../../../../shared/src/logger";
import type { Clock } from "../clock";
import { expireDueLots } from "./expiry.service";

/**
 * The ledger posts the expiry of due lots itself, so no operator has to schedule `ledger:expire`: once
 * at start (catching up after downtime), then every `seconds` (0: never, for an operator who runs the
 * tool on a schedule of their own). One run at a time in this process; a run elsewhere at once (the
 * tool, another ledger) expires nothing twice.
 */
export function scheduleExpiry(dataSource: DataSource, clock: Clock, log: Logger, seconds: number): () => void {
  if (seconds === 0) return () => {};
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
