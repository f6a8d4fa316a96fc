import type { Fetcher } from "@apollo/utils.fetcher";
import { type BreakerSettings, CircuitBreaker, CircuitOpenError } from "../../shared/src/circuit-breaker";

/**
 * The fetcher of one subgraph behind its circuit breaker (shared/src/circuit-breaker.ts): while the
 * subgraph is dead or frozen, calls fail at once (the data source answers UPSTREAM_UNAVAILABLE)
 * instead of each holding a client for SUBGRAPH_TIMEOUT_MS. An HTTP answer, even an error, shows
 * the subgraph is alive; a call that throws (refused, reset, timed out) counts as a failure.
 */
export function breakerFetcher(fetcher: Fetcher, subgraph: string, settings: BreakerSettings): Fetcher {
  const breaker = new CircuitBreaker(settings);
  return async (url, init) => {
    if (!breaker.tryStart(Date.now())) throw new CircuitOpenError(subgraph);
    try {
      const response = await fetcher(url, init);
      breaker.succeeded(Date.now());
      return response;
    } catch (error) {
      breaker.failed(Date.now());
      throw error;
    }
  };
}
