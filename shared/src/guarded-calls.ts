import { type BreakerSettings, CircuitBreaker, CircuitOpenError } from "./circuit-breaker";

/**
 * Calls to one service behind its circuit breaker (circuit-breaker.ts): refused at once while it is
 * open; and when it opens on a stall (calls waiting, nothing back for `stallMs`: a frozen process),
 * the calls already waiting are aborted too, so a frozen service costs its callers about `stallMs`,
 * not their whole timeout. A call that resolves counts as a success (an HTTP answer, even an error,
 * shows the service alive); one that throws, as a failure. A watch runs only while calls are in flight.
 * Used by the gateway for each subgraph (subgraph-breaker.ts) and by each service for each service it calls.
 */
export class GuardedCalls {
  private readonly breaker: CircuitBreaker;
  private readonly waiting = new Set<AbortController>();
  private watch: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: string,
    private readonly settings: BreakerSettings,
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
      this.breaker.failed(Date.now());
      throw error;
    } finally {
      this.waiting.delete(controller);
    }
  }

  private check(): void {
    if (this.breaker.state(Date.now()) === "open") for (const call of this.waiting) call.abort(new CircuitOpenError(this.service));
    if (!this.waiting.size) {
      clearInterval(this.watch);
      this.watch = undefined;
    }
  }
}
