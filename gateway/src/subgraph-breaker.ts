import type { BreakerSettings } from "../../shared/src/circuit-breaker";
import { healthUrlOf } from "../../shared/src/config";
import { GuardedCalls, healthyAt } from "../../shared/src/guarded-calls";
import type { SubgraphFetcher } from "./subgraph-fetcher";

/**
 * The fetcher of one subgraph behind its circuit breaker (shared/src/guarded-calls.ts): while the
 * subgraph is dead or frozen, calls fail at once (the data source answers UPSTREAM_UNAVAILABLE)
 * instead of each holding a client for SUBGRAPH_TIMEOUT_MS, and the calls already waiting when it
 * stalls are aborted: a frozen subgraph costs its callers about BREAKER_STALL_MS, not the whole timeout.
 * A subgraph whose /health answers 200 while its calls wait is slow, not frozen: they run to their timeout.
 */
export function breakerFetcher(fetcher: SubgraphFetcher, subgraph: string, url: string, settings: BreakerSettings): SubgraphFetcher {
  const calls = new GuardedCalls(subgraph, settings, healthyAt(healthUrlOf(url)));
  return (url, init = {}) => calls.run((signal) => fetcher(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal }));
}
