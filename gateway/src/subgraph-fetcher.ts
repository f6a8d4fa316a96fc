import type { FetcherHeaders, FetcherRequestInit, FetcherResponse } from "@apollo/utils.fetcher";
import { Histogram } from "prom-client";
import { Agent, type Dispatcher, errors } from "undici";
import { CutShortError } from "../../shared/src/guarded-calls";

/**
 * A call to a subgraph; `timeoutMs`, when given, is the time its GraphQL request has left (the
 * gateway's one deadline per request, GATEWAY_REQUEST_TIMEOUT_MS): the call waits no longer than that.
 */
export type SubgraphFetcher = (url: string, init?: FetcherRequestInit & { timeoutMs?: number }) => Promise<FetcherResponse>;

/**
 * undici's headers and body timers tick every half second: one set for `ms` fires between `ms` - 0.5 s
 * and `ms` + 0.5 s. Good enough for SUBGRAPH_TIMEOUT_MS; a request's deadline set through them is padded
 * by half a second so that no call is cut before it, and in a request's last second an exact timer is used.
 */
const COARSE_TIMER_SLACK_MS = 500;
const EXACT_TIMER_BELOW_MS = 1_000;

/**
 * Subgraph calls over keep-alive connection pools (undici), in place of @apollo/gateway's default
 * make-fetch-happen, which spends far more CPU per call on caching layers a subgraph call never uses.
 * A call that gets no answer within `timeoutMs` (SUBGRAPH_TIMEOUT_MS), or by its request's deadline when
 * that comes first (`init.timeoutMs`, the time left), fails instead of holding its client forever: a
 * timeout, to the client UPSTREAM_UNAVAILABLE, and to the subgraph's breaker a failure, except when
 * the deadline had shortened its wait: then a `CutShortError`, which the breaker does not count (the
 * earlier calls used the time; five such cuts must not open a healthy subgraph's breaker). The deadline
 * costs no timer of its own: it shortens undici's per-call headers and body timeouts (the timers every
 * call already has), except for calls made in the request's last second.
 *
 * Neither timer covers a call waiting for a free connection of the pool (undici starts them when the
 * request is written): with the defaults (GATEWAY_MAX_IN_FLIGHT 16 requests, SUBGRAPH_CONNECTIONS 128
 * per subgraph) a call never waits for one, and a timer of its own for every call would cost the hot path.
 */
export function createSubgraphFetcher({ connectionsPerOrigin, timeoutMs }: { connectionsPerOrigin: number; timeoutMs: number }): SubgraphFetcher {
  const agent = new Agent({ connections: connectionsPerOrigin, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  // Each subgraph URL parsed once (undici's request(url) parses it on every call: 1.3% of the gateway's CPU).
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error(`A subgraph URL must be http(s), got ${url}`);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (targets.size < 1_000) targets.set(url, target);
    }
    return target;
  };
  /** `waitMs` undefined: the agent's own timeouts (SUBGRAPH_TIMEOUT_MS); 0: none. */
  const call = async (url: string, init: FetcherRequestInit, signal: AbortSignal | undefined, waitMs: number | undefined) => {
    const response = await agent.request({
      ...targetOf(url),
      method: (init.method ?? "POST") as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
      signal,
      headersTimeout: waitMs,
      bodyTimeout: waitMs,
    });
    return new SubgraphResponse(url, response.statusCode, Object.entries(response.headers), await response.body.text());
  };
  return async (url, init = {}) => {
    const left = init.timeoutMs;
    if (left === undefined || left >= timeoutMs) return call(url, init, init.signal, undefined);
    if (left >= EXACT_TIMER_BELOW_MS) {
      const waitMs = Math.min(timeoutMs, Math.ceil(left) + COARSE_TIMER_SLACK_MS);
      try {
        return await call(url, init, init.signal, waitMs);
      } catch (error) {
        throw waitMs < timeoutMs && isTimeout(error) ? new CutShortError(DEADLINE_MESSAGE, { cause: error }) : error;
      }
    }
    // The request's last second: an exact timer, and undici's off (0), which could fire half a second early.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new CutShortError(DEADLINE_MESSAGE)), Math.max(0, left));
    try {
      return await call(url, init, init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal, 0);
    } catch (error) {
      // Aborted by the deadline (undici rejects with the signal's reason, or its own abort error): cut short.
      throw deadline.signal.aborted && !init.signal?.aborted && !(error instanceof CutShortError) ? new CutShortError(DEADLINE_MESSAGE, { cause: error }) : error;
    } finally {
      clearTimeout(timer);
    }
  };
}

const DEADLINE_MESSAGE = "no answer by the request's deadline (GATEWAY_REQUEST_TIMEOUT_MS)";

const isTimeout = (error: unknown) => error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError;

const fetchDuration = new Histogram({
  name: "gateway_subgraph_fetch_duration_seconds",
  help: "Subgraph calls from the gateway, from sending the request to reading the whole answer, by subgraph and outcome (ok: HTTP 2xx).",
  labelNames: ["subgraph", "outcome"] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** The same fetcher, timing each call to `subgraph` for /metrics. */
export function timedFetcher(fetcher: SubgraphFetcher, subgraph: string): SubgraphFetcher {
  const ok = fetchDuration.labels({ subgraph, outcome: "ok" });
  const failed = fetchDuration.labels({ subgraph, outcome: "error" });
  return async (url, init) => {
    const started = performance.now();
    try {
      const response = await fetcher(url, init);
      (response.ok ? ok : failed).observe((performance.now() - started) / 1000);
      return response;
    } catch (error) {
      failed.observe((performance.now() - started) / 1000);
      throw error;
    }
  };
}

class SubgraphResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly headers: FetcherHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    headers: Iterable<[string, string | string[] | undefined]>,
    private readonly body: string,
  ) {
    this.headers = new ResponseHeaders(headers);
  }

  get ok() {
    return this.status >= 200 && this.status < 300;
  }
  get statusText() {
    return String(this.status);
  }
  async text() {
    return this.body;
  }
  async json() {
    return JSON.parse(this.body);
  }
  async arrayBuffer() {
    const bytes = Buffer.from(this.body);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  clone(): FetcherResponse {
    return new SubgraphResponse(this.url, this.status, this.headers, this.body);
  }
}

/**
 * A subgraph answer's headers as undici read them (names already lowercase), in a plain map: the
 * WHATWG Headers class validated and sorted each one again, for the two or three the gateway reads
 * (content-type, cache-control). Repeated headers are joined with ", " as Headers joins them.
 */
export class ResponseHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string>();

  constructor(from: Iterable<[string, string | string[] | undefined]> = []) {
    for (const [name, value] of from) for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) this.append(name, one);
  }

  append(name: string, value: string) {
    const key = name.toLowerCase();
    const had = this.map.get(key);
    this.map.set(key, had === undefined ? value : `${had}, ${value}`);
  }
  delete(name: string) {
    this.map.delete(name.toLowerCase());
  }
  get(name: string) {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string) {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string) {
    this.map.set(name.toLowerCase(), value);
  }
  entries() {
    return this.map.entries();
  }
  keys() {
    return this.map.keys();
  }
  values() {
    return this.map.values();
  }
  [Symbol.iterator]() {
    return this.map.entries();
  }
}
