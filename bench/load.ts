import autocannon from "autocannon";

export interface LoadResult {
  /** Requests answered with data (the latencies below are theirs alone). */
  requests: number;
  /** Requests that failed: a transport error or timeout, a non-2xx status other than a shed, or a GraphQL `errors` entry. */
  failures: number;
  /** Requests the gateway refused early to protect itself (HTTP 503 with Retry-After, code OVERLOADED): reported apart from failures. */
  shed: number;
  /** The failures by what they were (`failureKind`), so a report says what failed, not only how often. */
  failureKinds: Record<string, number>;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** How long a request may go unanswered before it counts as a failure (autocannon's default: 10 s). */
  timeoutSeconds?: number;
  /** The body and extra headers of the next request (called once per request). */
  next(): { body: string; headers: Record<string, string> };
}

let sequence = 0;

/** What one load measured, before summing up: every latency, so loads can be pooled. */
export interface LoadSample {
  latencies: number[];
  failures: number;
  shed: number;
  failureKinds: Record<string, number>;
  durationSeconds: number;
}

/** One load, summed up. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return summarize([await sampleLoad(options)]);
}

/**
 * Closed-loop load with autocannon: `connections` clients each send a request as soon as their last
 * one was answered. Latencies are kept exactly (not only autocannon's fixed percentiles) for p95.
 * Every request carries a unique header so no gateway can collapse identical requests.
 */
export async function sampleLoad(options: LoadOptions): Promise<LoadSample> {
  // A window in which no request finished measured nothing (a short --quick window on a machine busy
  // with other work): measure again, twice as long, a bounded number of times.
  let sample = await sampleOnce(options);
  for (let attempt = 1; attempt < 3 && sample.latencies.length === 0 && sample.failures === 0 && sample.shed === 0; attempt++) {
    sample = await sampleOnce({ ...options, durationSeconds: options.durationSeconds * 2 ** attempt });
  }
  return sample;
}

/**
 * A warm-up: the load for `durationSeconds`, once, what it measured dropped. Unlike a measurement it is
 * not taken again when no request finished: a slow gateway's warm-ups at concurrency 256 took up to
 * 7 s (1 + 2 + 4) in quick runs, and warmed nothing more.
 */
export async function warmUp(options: LoadOptions): Promise<void> {
  await sampleOnce(options);
}

/**
 * Waits until the gateway at `url` has worked off what a window left it. autocannon ends a window
 * without waiting for the requests still in flight (up to one per connection), and the gateway goes on
 * with them: the next window, another gateway's, was measured on a machine still busy with this one's
 * (Hive at concurrency 256 answers in up to 5 s). One more request of the same load is sent; sharing
 * the gateway with that backlog, it is answered once the backlog is through. A shed answer (503) is
 * asked again after a short wait. Bounded by `maxSeconds`; returns the milliseconds waited.
 */
export async function drain({ url, next }: Pick<LoadOptions, "url" | "next">, maxSeconds = 30): Promise<number> {
  const started = Date.now();
  const deadline = started + maxSeconds * 1000;
  while (Date.now() < deadline) {
    const { body, headers } = next();
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", ...headers },
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
      await response.arrayBuffer();
      if (response.status !== 503) break;
    } catch {
      // Timed out at the deadline, or the gateway is not answering: the wait ends at the deadline either way.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

async function sampleOnce({ url, connections, durationSeconds, timeoutSeconds, next }: LoadOptions): Promise<LoadSample> {
  const latencies: number[] = [];
  let failures = 0;
  let shed = 0;
  const failureKinds: Record<string, number> = {};
  const countKind = (kind: string) => (failureKinds[kind] = (failureKinds[kind] ?? 0) + 1);
  // autocannon calls onResponse and then emits "response" for the same answer, with nothing in between.
  let outcome: ResponseOutcome = "ok";
  let kind = "";
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    const options: autocannon.Options = {
      url,
      connections,
      duration: durationSeconds,
      ...(timeoutSeconds === undefined ? {} : { timeout: timeoutSeconds }),
      method: "POST",
      requests: [
        {
          setupRequest: (request) => {
            const { body, headers } = next();
            return { ...request, body, headers: { "content-type": "application/json", "x-bench-request": String(++sequence), ...headers } };
          },
          onResponse: (status, body, _context, headers) => {
            outcome = classifyResponse(status, headers as Record<string, unknown>, body);
            if (outcome === "failed") kind = failureKind(status, body);
          },
        },
      ],
    };
    instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
  instance.on("response", (_client, _status, _bytes, milliseconds) => {
    if (outcome === "ok") latencies.push(milliseconds);
    else if (outcome === "shed") shed++;
    else {
      failures++;
      countKind(kind);
    }
  });
  // A request with no answer: a connection error, or a timeout (autocannon counts those among its errors too).
  instance.on("reqError", (error: Error & { code?: string }) => countKind(`no answer: ${error.code ?? error.message}`));
  const result = await done;
  return { latencies, failures: failures + result.errors, shed, failureKinds, durationSeconds };
}

export type ResponseOutcome = "ok" | "shed" | "failed";

/**
 * An answer's kind: shed (HTTP 503 with a Retry-After header whose every error is OVERLOADED: the
 * gateway's admission control refused it before any work and says when to come back), failed (any
 * other non-2xx, or a 2xx carrying GraphQL `errors`), or ok. A 503 with Retry-After for
 * UPSTREAM_UNAVAILABLE (a subgraph down, timed out, its breaker open or its pool full) is a failure:
 * Hive answers the same fault with HTTP 200 and errors, a failure too.
 */
export function classifyResponse(status: number, headers: Record<string, unknown>, body: string): ResponseOutcome {
  if (status === 503 && Object.keys(headers).some((name) => name.toLowerCase() === "retry-after") && onlyOverloaded(body)) return "shed";
  if (status < 200 || status > 299) return "failed";
  return body.includes('"errors"') ? "failed" : "ok";
}

/** The body is GraphQL errors, at least one, every one with the code OVERLOADED (shared/src/overload.ts). */
function onlyOverloaded(body: string): boolean {
  try {
    const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] }).errors;
    return Array.isArray(errors) && errors.length > 0 && errors.every((error) => error?.extensions?.code === "OVERLOADED");
  } catch {
    return false;
  }
}

/**
 * What a failed answer was, short enough to count alike ones together: its status, and the first
 * GraphQL error's code (or the start of its message).
 */
export function failureKind(status: number, body: string): string {
  let first: { message?: unknown; extensions?: { code?: unknown } } | undefined;
  try {
    first = (JSON.parse(body) as { errors?: (typeof first)[] }).errors?.[0];
  } catch {
    // Not JSON: the status says it all.
  }
  const detail = typeof first?.extensions?.code === "string" ? first.extensions.code : typeof first?.message === "string" ? first.message.slice(0, 80) : "";
  return detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
}

/** One result from one or more samples of the same load (their latencies pooled, their time added). */
export function summarize(samples: LoadSample[]): LoadResult {
  const latencies = samples.flatMap((sample) => sample.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, sample) => sum + sample.durationSeconds, 0);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : NaN);
  return {
    requests: latencies.length,
    failures: samples.reduce((sum, sample) => sum + sample.failures, 0),
    shed: samples.reduce((sum, sample) => sum + sample.shed, 0),
    failureKinds: samples.reduce<Record<string, number>>((all, sample) => {
      for (const [kind, count] of Object.entries(sample.failureKinds)) all[kind] = (all[kind] ?? 0) + count;
      return all;
    }, {}),
    requestsPerSecond: latencies.length / seconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
  };
}
