import type { Logger } from "./logger";

/**
 * On SIGINT (Ctrl-C), SIGTERM or SIGHUP (the terminal closed): run `stop` once (finish in-flight
 * work, close connections), then exit.
 */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      log.error("unclean stop", { error });
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void handle("SIGINT"));
  process.on("SIGTERM", () => void handle("SIGTERM"));
  process.on("SIGHUP", () => void handle("SIGHUP"));
}
