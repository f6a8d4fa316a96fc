export interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** A minimal GraphQL-over-HTTP client for the seeder and the tests. */
export async function postGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  return (await exchange<T>(url, query, variables, headers)).result;
}

/** One request: its answer, and the seconds its `Retry-After` header asks a client to wait (null without one). */
async function exchange<T>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { result: (await response.json()) as GraphQLResult<T>, retryAfter: response.headers.get("retry-after") };
}

/** Like postGraphQL, but any GraphQL error is thrown. */
export async function requestGraphQL<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  return dataOrThrow(await postGraphQL<T>(url, query, variables, headers));
}

function dataOrThrow<T>(result: GraphQLResult<T>): T {
  if (result.errors?.length || !result.data) {
    throw new Error(`GraphQL error: ${result.errors?.map((e) => `${e.message} (${e.extensions?.code})`).join("; ") ?? "no data"}`);
  }
  return result.data;
}

/**
 * The README's contract (Error codes): an answer whose every error has one of these codes is asked
 * again later, with the same input and keys; any other answer is final.
 */
const RETRY_CODES = new Set(["UPSTREAM_UNAVAILABLE", "OVERLOADED", "RATE_LIMITED"]);

/** Whether an answer's errors, by their codes, say to ask again later (and only that). */
export const asksToRetry = (codes: readonly unknown[]) => codes.length > 0 && codes.every((code) => RETRY_CODES.has(String(code)));

/** How long a client waits before its next attempt: `Retry-After` when the answer gave one, else 200, 400, 800, then 1,000 ms. */
export const retryWaitMs = (attempt: number, retryAfter: string | null): number =>
  retryAfter ? Number(retryAfter) * 1000 : Math.min(1_000, 100 * 2 ** Math.min(attempt, 4));

/**
 * Like requestGraphQL, for a read that must not fail on a passing outage (the bench's first requests,
 * while a slow machine starts its gateways): an answer whose every error asks to retry is asked again
 * after `retryWaitMs`, until `deadlineMs` has passed; then its error is thrown.
 */
export async function requestGraphQLRetrying<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  deadlineMs = 30_000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    const { result, retryAfter } = await exchange<T>(url, query, variables, headers);
    const retry = asksToRetry((result.errors ?? []).map((e) => e.extensions?.code));
    if (!retry || Date.now() >= until) return dataOrThrow(result);
    await new Promise((resolve) => setTimeout(resolve, retryWaitMs(attempt, retryAfter)));
  }
}

/** Headers for a caller with a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
