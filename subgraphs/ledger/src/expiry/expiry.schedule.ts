import type { DataSource } from "typeorm";
import type { Logger } from "../../../../shared/src/logger";
import type { Clock } from "../clock";
import { expireDueLots } from "./expiry.service";

const MAX_SECONDS = 24 * 86_400;

/**
 * The ledger posts the expiry of due lots itself, so no operator has to schedule `ledger:expire`: once
 * at start (catching up after downtime), then every `seconds` (0: never, for an operator who runs the
 * tool on a schedule of their own). One run at a time in this process; a run elsewhere at once (the
 * tool, another ledger) expires nothing twice. A run that failed for some members says so in a warning
 * (and the first of them each in a line of its own, the others counted in one); one the database ended (unreachable) in another.
 */
export function scheduleExpiry(dataSource: DataSource, clock: Clock, log: Logger, seconds: number): () => void {
  if (seconds === 0) return () => {};
  // Node's timers overflow past 2^31 ms (about 24.8 days) and then fire at once, over and over.
  if (seconds > MAX_SECONDS) throw new Error(`EXPIRY_RUN_SECONDS must be at most ${MAX_SECONDS} (24 days), got ${seconds}`);
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    expireDueLots(dataSource, clock.now(), log)
      .then((expired) => {
        // The first members that failed have a line of their own already, the others a line with their count
        // (expireDueLots); this one names at most those first ones (failedMembers). The next run tries them again.
        if (expired.failed) log.warn("expiry run left members unexpired", { ...expired });
        else if (expired.lots) log.info("expired points", { ...expired });
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
