import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Logger } from "./logger";

/**
 * How many processes serve one service. `WORKERS` sets it; in production the default is one per CPU,
 * elsewhere one (tests reach a single process's clock and counters, and kill it by pid).
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKERS;
  if (raw === "auto") return availableParallelism();
  if (raw !== undefined && raw !== "") {
    const count = Number(raw);
    if (!Number.isInteger(count) || count < 1) throw new Error(`WORKERS must be a positive integer or "auto", got "${raw}"`);
    return count;
  }
  return env.NODE_ENV === "production" ? availableParallelism() : 1;
}

/** This process's index among its service's workers (0 when the service runs as a single process). */
export const workerIndex = (): number => Number(process.env.COALITION_WORKER_INDEX ?? 0);

export type ReadyMessage = { type: "ready"; service: string; url: string };

/**
 * Node cluster for one service: the primary forks `count` workers that share the listening port
 * (connections are spread round-robin), replaces a worker that dies, and reports "ready" to its own
 * parent once every worker listens. SIGTERM/SIGINT are passed to the workers, each of which finishes
 * its in-flight requests before exiting; the primary exits after the last one.
 */
export function runPrimary(service: string, count: number, log: Logger): void {
  let stopping = false;
  let exitCode = 0;
  const ready = new Set<number>();
  const byWorker = new Map<Worker, number>();
  const start = (index: number) => {
    const worker = cluster.fork({ COALITION_WORKER_INDEX: String(index) });
    byWorker.set(worker, index);
    let served = false;
    worker.on("message", (message: ReadyMessage) => {
      if (message?.type !== "ready") return;
      served = true;
      ready.add(index);
      if (ready.size === count) {
        log.info("all workers ready", { workers: count, url: message.url });
        process.send?.({ ...message, service });
      }
    });
    worker.on("exit", (code, signal) => {
      byWorker.delete(worker);
      if (stopping) {
        if (byWorker.size === 0) process.exit(exitCode);
        return;
      }
      if (!served) {
        // It could not start (no database, port taken): neither could another; the service fails as one process would.
        log.error("worker failed to start; stopping the service", { index, code, signal });
        stop("SIGTERM", 1);
        return;
      }
      log.error("worker died; starting another", { index, code, signal });
      ready.delete(index);
      start(index);
    });
  };
  const stop = (signal: NodeJS.Signals, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log.info("stopping workers", { signal });
    for (const worker of byWorker.keys()) worker.process.kill("SIGTERM");
    if (byWorker.size === 0) process.exit(exitCode);
  };
  for (let index = 0; index < count; index++) start(index);
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // As a single process does (shutdown.ts): a closed terminal must not kill the primary and, with it, workers mid-request.
  process.on("SIGHUP", () => stop("SIGHUP"));
}

export const isClusterPrimary = (count: number): boolean => count > 1 && cluster.isPrimary;
