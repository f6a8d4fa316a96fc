import type { Fetcher } from "@apollo/utils.fetcher";
import { type BreakerSettings, CircuitBreaker, CircuitOpenError } from "../../shared/src/circuit-breaker";

/**
 * The fetcher of one subgraph behind its circuit breaker (shared/src/circuit-breaker.ts): while the
 * subgraph is dead or frozen, calls fail at once (the data source answers UPSTREAM_UNAVAILABLE)
 * instead of each holding a client for SUBGRAPH_TIMEOUT_MS. An HTTP answer, even an error, shows
 * the subgraph is alive; a call that throws (refused, reset, timed out) counts as a failure.
 * When the breaker opens (a stall: calls waiting and nothing back for BREAKER_STALL_MS), the calls
 * already waiting are aborted too: a frozen subgraph costs its callers about BREAKER_STALL_MS, not
 * the whole timeout. A watch runs only while calls are in flight.
 */
export function breakerFetcher(fetcher: Fetcher, subgraph: string, settings: BreakerSettings): Fetcher {
  const breaker = new CircuitBreaker(settings);
  const waiting = new Set<AbortController>();
  let watch: NodeJS.Timeout | undefined;
  const check = () => {
    if (breaker.state(Date.now()) === "open") for (const call of waiting) call.abort(new CircuitOpenError(subgraph));
    if (!waiting.size) {
      clearInterval(watch);
      watch = undefined;
    }
  };
  return async (url, init = {}) => {
    if (!breaker.tryStart(Date.now())) throw new CircuitOpenError(subgraph);
    const call = new AbortController();
    waiting.add(call);
    if (settings.stallMs > 0) watch ??= setInterval(check, Math.max(50, Math.floor(settings.stallMs / 4))).unref();
    try {
      const response = await fetcher(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, call.signal]) : call.signal });
      breaker.succeeded(Date.now());
      return response;
    } catch (error) {
      breaker.failed(Date.now());
      throw error;
    } finally {
      waiting.delete(call);
    }
  };
}
