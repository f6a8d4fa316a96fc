import { Counter } from "prom-client";
import type { EnvReader } from "./config";

/**
 * A circuit breaker per called service (the gateway's subgraphs; a service's calls to another):
 * calls to a service that is dead or frozen fail at once instead of each waiting for its timeout,
 * and go back to normal by themselves once it answers again.
 *
 * - closed: calls go through. It opens after `failuresToOpen` calls in a row failed (refused, reset,
 *   timed out), or when calls are waiting and nothing at all came back for `stallMs` (a frozen
 *   process: SIGSTOP, a full event loop), which a timeout alone would notice only after `timeoutMs`.
 *   A health check answered meanwhile counts as something coming back (`heardFrom`): slow is not frozen.
 * - open: calls fail at once, for `openMs`.
 * - half-open: one call (a probe) goes through; its success closes the breaker, its failure opens it
 *   again, and so does nothing coming back for `stallMs` after it started (a service still frozen:
 *   the probe's caller, like every other, waits about `stallMs`, not its whole timeout).
 *
 * Pure state with the clock passed in, so the rules are unit-tested with hand-written times.
 */
export interface BreakerSettings {
  failuresToOpen: number;
  openMs: number;
  stallMs: number;
}

export const BREAKER_DEFAULTS: BreakerSettings = { failuresToOpen: 5, openMs: 2_000, stallMs: 3_000 };

/** BREAKER_FAILURES, BREAKER_OPEN_MS, BREAKER_STALL_MS (0 turns stall detection off), checked at start. */
export const readBreakerSettings = (env: EnvReader): BreakerSettings => ({
  failuresToOpen: env.int("BREAKER_FAILURES", BREAKER_DEFAULTS.failuresToOpen, { min: 1 }),
  openMs: env.int("BREAKER_OPEN_MS", BREAKER_DEFAULTS.openMs, { min: 1 }),
  stallMs: env.int("BREAKER_STALL_MS", BREAKER_DEFAULTS.stallMs),
});

/**
 * A service's breaker on a service it calls detects a stall after two thirds of BREAKER_STALL_MS (2 s
 * by default; its watch then looks every 500 ms), the gateway's on a subgraph after all of it (3 s;
 * every 750 ms). So a service whose every call waits on a frozen service it calls (the catalog's redemptions
 * on a frozen ledger) answers UPSTREAM_UNAVAILABLE by about 2.5 s, before the gateway, seeing nothing
 * come back, would take that service for frozen too and fail its other calls (test/unit/faults-rules.test.ts).
 */
export const serviceCallSettings = (settings: BreakerSettings): BreakerSettings => ({ ...settings, stallMs: Math.floor((settings.stallMs * 2) / 3) });

export type BreakerState = "closed" | "open" | "half-open";

export class CircuitBreaker {
  private mode: BreakerState = "closed";
  private failures = 0;
  private openedAt = 0;
  private inFlight = 0;
  private probing = false;
  /** The last time a call came back (either way), or a call started with none waiting. */
  private lastProgressAt = 0;

  constructor(private readonly settings: BreakerSettings) {}

  /** The state at `now` (an open breaker whose time is up is half-open). */
  state(now: number): BreakerState {
    if ((this.mode === "closed" || (this.mode === "half-open" && this.probing)) && this.stalled(now)) this.open(now);
    if (this.mode === "open" && now - this.openedAt >= this.settings.openMs) this.mode = "half-open";
    return this.mode;
  }

  /** Whether a call may start now; when it may, it is counted until `succeeded`, `failed` or `abandoned`. */
  tryStart(now: number): boolean {
    const state = this.state(now);
    if (state === "open") return false;
    if (state === "half-open") {
      if (this.probing) return false;
      this.probing = true;
    }
    // The probe's start counts as progress: calls left over from before the breaker opened must not make it a stall at once.
    if (this.inFlight === 0 || state === "half-open") this.lastProgressAt = now;
    this.inFlight++;
    return true;
  }

  /**
   * The service answered something else (its health check, guarded-calls.ts) while calls wait: it
   * works, its calls are only slow (a lock wait, a long query), so the wait so far is not a stall.
   */
  heardFrom(now: number): void {
    if (this.inFlight > 0) this.lastProgressAt = Math.max(this.lastProgressAt, now);
  }

  /** How long calls have waited with nothing back at `now` (0 when none waits). */
  silentFor(now: number): number {
    return this.inFlight > 0 ? now - this.lastProgressAt : 0;
  }

  succeeded(now: number): void {
    this.finish(now);
    this.failures = 0;
    this.mode = "closed";
    this.probing = false;
  }

  failed(now: number): void {
    this.finish(now);
    this.failures++;
    if (this.mode === "half-open" || this.failures >= this.settings.failuresToOpen) this.open(now);
    this.probing = false;
  }

  /**
   * The call ended without telling whether the service works: its caller cut it short (the gateway's
   * request deadline left it less than its timeout). Neither a success nor a failure, and no progress
   * (a frozen service is still found by the stall rule); a probe so ended lets the next call probe.
   */
  abandoned(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.probing = false;
  }

  private finish(now: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.lastProgressAt = now;
  }

  private stalled(now: number): boolean {
    return this.settings.stallMs > 0 && this.inFlight > 0 && now - this.lastProgressAt >= this.settings.stallMs;
  }

  private open(now: number): void {
    if (this.mode !== "open") breakerOpened.inc();
    this.mode = "open";
    this.openedAt = now;
    this.failures = 0;
  }
}

const breakerOpened = new Counter({ name: "coalition_circuit_breaker_opened_total", help: "Times a circuit breaker to a called service opened (calls to it failed fast)." });

/** The error a call refused by an open breaker raises (its callers turn it into UPSTREAM_UNAVAILABLE). */
export class CircuitOpenError extends Error {
  constructor(readonly service: string) {
    super(`circuit open: ${service} is not answering`);
    this.name = "CircuitOpenError";
  }
}
