import { type BreakerSettings, CircuitBreaker, CircuitOpenError } from "./circuit-breaker";

/**
 * Calls to one service behind its circuit breaker (circuit-breaker.ts): refused at once while it is
 * open; and when it opens on a stall (calls waiting, nothing back for `stallMs`: a frozen process),
 * the calls already waiting are aborted too, so a frozen service costs its callers about `stallMs`,
 * not their whole timeout. A call that resolves counts as a success (an HTTP answer, even an error,
 * shows the service alive); one that throws, as a failure, unless it throws a `CutShortError` (its caller
 * gave it less than its timeout and that ran out: nothing learned of the service, counted neither way).
 * A watch runs only while calls are in flight.
 *
 * Slow is not frozen: once calls have waited a third of `stallMs` with nothing back, the watch asks
 * `isWorking` (the service's GET /health: its process and its database answer), one check at a time,
 * each given a quarter of `stallMs`. A 200 means the service works and its calls are only waiting (on a
 * lock, a long query): the wait so far is not a stall, and those calls run to their own timeout. A frozen
 * process, or one whose database has stopped answering, gives none, so it is still taken for stalled
 * after `stallMs`.
 * Used by the gateway for each subgraph (subgraph-breaker.ts) and by each service for each service it calls.
 */
export class GuardedCalls {
  private readonly breaker: CircuitBreaker;
  private readonly waiting = new Set<AbortController>();
  private watch: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly service: string,
    private readonly settings: BreakerSettings,
    /** Resolves when the service answers that it works, rejects otherwise; without it, any stall opens the breaker. */
    private readonly isWorking?: (signal: AbortSignal) => Promise<unknown>,
  ) {
    this.breaker = new CircuitBreaker(settings);
  }

  /** Runs `call` with a signal that aborts it (with a CircuitOpenError) if the breaker opens meanwhile; refused at once while open. */
  async run<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (!this.breaker.tryStart(Date.now())) throw new CircuitOpenError(this.service);
    const controller = new AbortController();
    this.waiting.add(controller);
    if (this.settings.stallMs > 0) this.watch ??= setInterval(() => this.check(), Math.max(50, Math.floor(this.settings.stallMs / 4))).unref();
    try {
      const result = await call(controller.signal);
      this.breaker.succeeded(Date.now());
      return result;
    } catch (error) {
      if (error instanceof CutShortError) this.breaker.abandoned();
      else this.breaker.failed(Date.now());
      throw error;
    } finally {
      this.waiting.delete(controller);
    }
  }

  private check(): void {
    const now = Date.now();
    if (this.breaker.state(now) === "open") for (const call of this.waiting) call.abort(new CircuitOpenError(this.service));
    else if (this.isWorking && !this.checking && this.breaker.silentFor(now) >= this.settings.stallMs / 3) this.checkWorking(this.isWorking);
    if (!this.waiting.size) {
      clearInterval(this.watch);
      this.watch = undefined;
    }
  }

  private checkWorking(isWorking: (signal: AbortSignal) => Promise<unknown>): void {
    this.checking = true;
    isWorking(AbortSignal.timeout(Math.max(25, Math.floor(this.settings.stallMs / 4))))
      .then(
        () => this.breaker.heardFrom(Date.now()),
        () => undefined, // no answer in time: the stall rule decides
      )
      .finally(() => (this.checking = false));
  }
}

/**
 * A call its caller cut short: the time it was given (what its request had left) ran out before the
 * service's timeout would have. Says nothing of the service's health, so its breaker does not count it.
 */
export class CutShortError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CutShortError";
  }
}

/** An `isWorking` for a service reached over HTTP: its GET /health (beside its /graphql) answers 200. */
export const healthyAt =
  (healthUrl: string) =>
  async (signal: AbortSignal): Promise<void> => {
    const response = await fetch(healthUrl, { signal });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`${healthUrl} answered ${response.status}`);
  };
