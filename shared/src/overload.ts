import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, Gauge } from "prom-client";
import type { EnvReader } from "./config";

/**
 * Load shedding: at most `maxInFlight` GraphQL requests run at once in this process; up to `maxQueued`
 * more wait (each at most `queueTimeoutMs`) for a slot; anything past that is refused at once, before
 * its body is read, with HTTP 503, `Retry-After` and the code OVERLOADED. Past saturation a request
 * that would only make every other one slower is told to come back instead of timing out.
 */
export interface AdmissionLimits {
  /** 0: no limit (and no queue). */
  maxInFlight: number;
  maxQueued: number;
  queueTimeoutMs: number;
  retryAfterSeconds: number;
  /** True when the process's own resources are saturated (a subgraph: too many queries waiting for a database connection). */
  saturated?: () => boolean;
}

/** The code (and HTTP status) of a request shed by a full process: retry after `Retry-After` seconds, same keys. */
export const OVERLOADED = "OVERLOADED";
export const OVERLOADED_STATUS = 503;

/** `<prefix>_MAX_IN_FLIGHT`, `<prefix>_QUEUE`, `<prefix>_QUEUE_TIMEOUT_MS` (GATEWAY_… or SUBGRAPH_…), checked at start. */
export function readAdmissionLimits(env: EnvReader, prefix: "GATEWAY" | "SUBGRAPH", defaults: Omit<AdmissionLimits, "retryAfterSeconds">): AdmissionLimits {
  return {
    maxInFlight: env.int(`${prefix}_MAX_IN_FLIGHT`, defaults.maxInFlight),
    maxQueued: env.int(`${prefix}_QUEUE`, defaults.maxQueued),
    queueTimeoutMs: env.int(`${prefix}_QUEUE_TIMEOUT_MS`, defaults.queueTimeoutMs, { min: 1 }),
    retryAfterSeconds: 1,
  };
}

// 16 at once per process: a gateway process is one thread, and past about 16 concurrent headline requests it
// only interleaves them (on the bench's 2 cores, 64 admitted at once made the p99 4.6× the p50; 16, 2.0×, at the same throughput).
// A queue of 512, bounded in time by the 1 s wait: a full queue refuses at once, and a client that asks again at once
// (as a load generator does) then meets a refusal loop that takes the CPU from the admitted requests (with 128, at
// concurrency 256: 7,400 refusals a second and 0.65× the throughput at 16; with 512 the refusals are the few queue
// timeouts, 0.90×). The time bound, not the length, is what keeps an admitted request's wait short.
export const GATEWAY_ADMISSION_DEFAULTS = { maxInFlight: 16, maxQueued: 512, queueTimeoutMs: 1_000 };
// Generous: a subgraph sheds only when its callers (every gateway process, other services) flood it.
export const SUBGRAPH_ADMISSION_DEFAULTS = { maxInFlight: 256, maxQueued: 512, queueTimeoutMs: 2_000 };

const shed = new Counter({
  name: "coalition_requests_shed_total",
  help: "GraphQL requests refused with HTTP 503 OVERLOADED before any work (reason: queue_full; queue_timeout, a queued request waited too long; pool_full, a subgraph's database pool has too many queries waiting).",
  labelNames: ["reason"] as const,
});
const inFlightGauge = new Gauge({ name: "coalition_requests_in_flight", help: "GraphQL operations running now in this process (slots taken: a batched request counts each of its operations)." });
const queuedGauge = new Gauge({ name: "coalition_requests_queued", help: "GraphQL requests waiting for a slot in this process." });
// The control lane apart: its requests are in neither gauge above, and an operator sees when its 8 are too few.
const controlInFlightGauge = new Gauge({ name: "coalition_control_requests_in_flight", help: "Control-lane requests (a gateway's erasure-feed reads) running now in this process, past the limits." });
const controlLaneFull = new Counter({
  name: "coalition_control_lane_full_total",
  help: "Control-lane requests that found the lane's places taken and were admitted as ordinary requests (queued or shed like any other).",
});

const abandonedCounter = new Counter({
  name: "coalition_requests_abandoned_total",
  help: "Queued GraphQL requests whose client closed its connection before a slot was free: dropped, never run.",
});

/** Why a request was not admitted; null when it was. */
export type ShedReason = "queue_full" | "queue_timeout" | "pool_full";
/** A queued request whose client went away (its connection closed): there is no one to answer. */
export const ABANDONED = "abandoned";
/** What `AdmissionGate.enter` comes to: a release function (admitted), or why the request was not admitted. */
export type Admission = (() => void) | ShedReason | typeof ABANDONED;

/**
 * The connection a request came on (its socket), as far as the queue needs it. A client that closes it
 * while its request waits (a timeout of its own, a load generator ending its window) leaves the queue:
 * before, it kept its place, took a slot, failed reading its body and was counted as a bad request (400).
 */
export interface ClientConnection {
  readonly destroyed: boolean;
  once(event: "close", listener: () => void): unknown;
  removeListener(event: "close", listener: () => void): unknown;
}

interface Waiting {
  connection?: ClientConnection;
  /** The slots it needs (a batch's operations). */
  slots: number;
  resolve(outcome: Admission): void;
  gone(): void;
  timer: NodeJS.Timeout;
}

/**
 * The header a service sets on a request of the control lane (below); honoured only with a service's
 * proof (SERVICE_SECRET), never a client's.
 */
export const CONTROL_LANE_HEADER = "x-coalition-lane";
export const CONTROL_LANE = "control";
/**
 * Control requests admitted at once past the limits. The lane carries only the gateway's erasure-feed
 * reads: one at a time per gateway process, four per ERASURE_CHECK_CACHE_MS. Shed, a gateway would ask
 * about each member instead (gateway/src/identity.ts): one request more per member request, sent to a
 * service that is already shedding.
 */
export const MAX_CONTROL_IN_FLIGHT = 8;

/**
 * Counts slots; `enter` resolves to a release function, or to the reason the request was not admitted.
 * A batch takes a slot per operation (at most every slot: it then runs alone), so batching lets no
 * client past the limit; the queue is first come, first served, a batch waiting for room included.
 */
export class AdmissionGate {
  private inFlight = 0;
  private controlInFlight = 0;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly limits: AdmissionLimits) {}

  /**
   * A request of the control lane: admitted at once, whatever the slots, queue and pool say, while
   * fewer than MAX_CONTROL_IN_FLIGHT run; past that, it waits like any other (`enter`).
   */
  enterControl(connection?: ClientConnection): Promise<Admission> | Admission {
    if (this.controlInFlight >= MAX_CONTROL_IN_FLIGHT) {
      controlLaneFull.inc();
      return this.enter(connection);
    }
    controlInFlightGauge.set(++this.controlInFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      controlInFlightGauge.set(--this.controlInFlight);
    };
  }

  /** `operations`: how many the request carries (a batch's length), one slot each. */
  enter(connection?: ClientConnection, operations = 1): Promise<Admission> | Admission {
    if (this.limits.saturated?.()) return this.refuse("pool_full");
    if (!this.limits.maxInFlight) return NOOP;
    const slots = Math.min(Math.max(1, Math.floor(operations)), this.limits.maxInFlight);
    if (!this.waiting.length && this.fits(slots)) return this.take(slots);
    if (this.waiting.length >= this.limits.maxQueued) return this.refuse("queue_full");
    return new Promise((resolve) => {
      const entry: Waiting = {
        connection,
        slots,
        resolve,
        gone: () => {
          this.leave(entry);
          abandonedCounter.inc();
          resolve(ABANDONED);
        },
        timer: setTimeout(() => {
          this.leave(entry);
          resolve(this.refuse("queue_timeout"));
        }, this.limits.queueTimeoutMs),
      };
      connection?.once("close", entry.gone);
      this.waiting.push(entry);
      queuedGauge.set(this.waiting.length);
    });
  }

  get running(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private fits(slots: number): boolean {
    return this.inFlight + slots <= this.limits.maxInFlight;
  }

  private take(slots: number): () => void {
    this.inFlight += slots;
    inFlightGauge.set(this.inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= slots;
      this.admitNext();
      inFlightGauge.set(this.inFlight);
    };
  }

  /** The slots just freed go to the waiting requests in order, while the first one's fit (whose client is still there). */
  private admitNext(): void {
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      // Closed, its "close" event not delivered yet (it comes on a later tick): gone all the same.
      if (next.connection?.destroyed) {
        next.gone();
        continue;
      }
      if (!this.fits(next.slots)) return;
      this.leave(next);
      next.resolve(this.take(next.slots));
    }
  }

  /** Out of the queue: its timer and its connection's listener gone with it. */
  private leave(entry: Waiting): void {
    const at = this.waiting.indexOf(entry);
    if (at >= 0) this.waiting.splice(at, 1);
    clearTimeout(entry.timer);
    entry.connection?.removeListener("close", entry.gone);
    queuedGauge.set(this.waiting.length);
  }

  private refuse(reason: ShedReason): ShedReason {
    shed.inc({ reason });
    return reason;
  }
}

const NOOP = () => {};

/** The 503 of a shed request; its body is left unread (drained), the cheapest answer there is. */
export function sendOverloaded(req: IncomingMessage, res: ServerResponse, limits: AdmissionLimits, headers: Record<string, string> = {}): void {
  req.resume();
  const body = JSON.stringify({
    errors: [{ message: "The service is at capacity; retry after the Retry-After delay with the same input and keys", extensions: { code: "OVERLOADED", retryAfter: limits.retryAfterSeconds } }],
  });
  res.writeHead(OVERLOADED_STATUS, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "retry-after": String(limits.retryAfterSeconds),
    ...headers,
  });
  res.end(body);
}
