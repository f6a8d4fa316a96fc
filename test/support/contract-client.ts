/**
 * A client that follows the README's contract to the letter (Error codes): it retries, with the same
 * input and keys, only a request that got no answer or whose every error is UPSTREAM_UNAVAILABLE,
 * OVERLOADED or RATE_LIMITED, waiting Retry-After when given; any other answer is final. Every attempt
 * is kept, so a test can check what clients were told during a fault, and how long each attempt took.
 */
import { asksToRetry, retryWaitMs } from "../../tools/stack/graphql-client";

export interface Attempt {
  status: number; // 0: no answer (refused, reset, client timeout)
  codes: string[];
  ms: number;
  retryAfter: string | null;
  /** The answer had data beside its errors (a partial answer). */
  partial: boolean;
}

export interface Outcome<T> {
  attempts: Attempt[];
  /** The final answer: its data and codes; unresolved when the deadline passed still retrying. */
  data?: T;
  codes: string[];
  resolved: boolean;
}

export interface ContractCallOptions<T> {
  url: string;
  headers: Record<string, string>;
  /** Give up (unresolved) after this long: a client that loops forever is a failure of the API. */
  deadlineMs: number;
  /** An answer the contract says to ask again for later (a redemption still PENDING). */
  inProgress?: (data: T) => boolean;
  /** Longest wait for one answer before the client treats it as no answer. */
  attemptTimeoutMs?: number;
}

export async function contractCall<T = Record<string, any>>(query: string, variables: Record<string, unknown>, options: ContractCallOptions<T>): Promise<Outcome<T>> {
  const attempts: Attempt[] = [];
  const until = Date.now() + options.deadlineMs;
  for (let n = 1; ; n++) {
    const started = performance.now();
    let attempt: Attempt;
    let data: T | undefined;
    try {
      const response = await fetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(options.attemptTimeoutMs ?? 30_000),
      });
      const body = (await response.json()) as { data?: T | null; errors?: { extensions?: { code?: string } }[] };
      const codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
      data = body.data ?? undefined;
      attempt = { status: response.status, codes, ms: performance.now() - started, retryAfter: response.headers.get("retry-after"), partial: codes.length > 0 && data !== undefined };
    } catch {
      attempt = { status: 0, codes: [], ms: performance.now() - started, retryAfter: null, partial: false };
    }
    attempts.push(attempt);
    const retry = attempt.status === 0 || asksToRetry(attempt.codes) || (data !== undefined && !attempt.codes.length && options.inProgress?.(data));
    if (!retry) return { attempts, data, codes: attempt.codes, resolved: true };
    if (Date.now() > until) return { attempts, data, codes: attempt.codes, resolved: false };
    await new Promise((resolve) => setTimeout(resolve, retryWaitMs(n, attempt.retryAfter)));
  }
}
