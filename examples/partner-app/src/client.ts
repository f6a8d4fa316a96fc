import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

/**
 * A tiny typed GraphQL client over Node's own `fetch`: the document's type fixes the variables it
 * takes and the data it returns. Partner apps authenticate with their API key in `x-api-key`.
 *
 * It sends trusted documents only: the hash codegen embedded in each document (`__meta__.hash`), in
 * Apollo's persisted-query shape, never the text. The gateway runs the document of that hash from the
 * manifest `npm run codegen` writes (gateway/trusted-documents/partner-app.json); a gateway that does
 * not know the hash answers PERSISTED_QUERY_NOT_FOUND.
 */

/** A generated document: typed, with its SHA-256 embedded by codegen (persistedDocuments). */
type TrustedDocument<TResult, TVariables> = TypedDocumentNode<TResult, TVariables> & { __meta__?: { hash?: string } };

function hashOf(document: { __meta__?: { hash?: string } }): string {
  const hash = document.__meta__?.hash;
  if (!hash) throw new Error("This document has no embedded hash: generate it with `npm run codegen` (persistedDocuments)");
  return hash;
}

/** A GraphQL error as the gateway sends it: `extensions.code` says what went wrong. */
export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A request that failed: the GraphQL errors (or the HTTP status) and their codes. */
export class GraphQLRequestError extends Error {
  readonly codes: string[];

  constructor(
    readonly errors: GraphQLErrorBody[],
    readonly status: number,
    /** The answer's `Retry-After` header (seconds), when it has one: 503 and 429 answers do. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(errors.map((error) => `${error.extensions?.code ?? "ERROR"}: ${error.message}`).join("; "));
    this.name = "GraphQLRequestError";
    this.codes = errors.map((error) => error.extensions?.code ?? "ERROR");
  }
}

export function createClient(url: string, apiKey: string) {
  // NoInfer: the variables' type comes from the document alone, so a misspelt or extra field is an error.
  return async function request<TResult, TVariables>(document: TrustedDocument<TResult, TVariables>, variables: NoInfer<TVariables>): Promise<TResult> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(document) } } }),
    });
    // Refusals (401, 429, 400) come with a GraphQL body too; anything else that is not JSON is an HTTP error.
    const body = (await response.json().catch(() => null)) as { data?: unknown; errors?: GraphQLErrorBody[] } | null;
    const retryAfter = Number(response.headers.get("retry-after") ?? NaN);
    const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null;
    if (body?.errors?.length) throw new GraphQLRequestError(body.errors, response.status, retryAfterSeconds);
    if (!response.ok || !body?.data) {
      throw new GraphQLRequestError([{ message: `HTTP ${response.status} without GraphQL data`, extensions: { code: `HTTP_${response.status}` } }], response.status, retryAfterSeconds);
    }
    return body.data as TResult;
  };
}

const RETRYABLE_CODES = ["UPSTREAM_UNAVAILABLE", "RATE_LIMITED", "OVERLOADED"];

/**
 * Failures worth another try (the README's Error codes): the network, a subgraph briefly unreachable,
 * the gateway at capacity, the rate limit, and a proxy's 502/503/504 without a GraphQL answer. Not
 * INTERNAL_SERVER_ERROR (HTTP 500): a bug of ours, which the same request would meet again.
 */
function isTransient(error: unknown): boolean {
  if (!(error instanceof GraphQLRequestError)) return error instanceof TypeError; // fetch's network failure
  return error.codes.some((code) => RETRYABLE_CODES.includes(code)) || ["HTTP_502", "HTTP_503", "HTTP_504"].some((code) => error.codes.includes(code));
}

/** How long to wait before attempt n + 1: `Retry-After` (or `extensions.retryAfter`) when given, else 250 ms doubling. */
function delayMs(error: unknown, n: number): number {
  if (error instanceof GraphQLRequestError) {
    const given = error.retryAfterSeconds ?? Number(error.errors.find((e) => e.extensions?.["retryAfter"] !== undefined)?.extensions?.["retryAfter"]);
    if (Number.isFinite(given) && given >= 0) return given * 1000;
  }
  return 250 * 2 ** (n - 1);
}

/**
 * Runs `attempt` again after a transient failure. Only for requests that are safe to repeat: reads,
 * and writes with an idempotency key (a purchase's `reference`, a refund's `refundReference`), which
 * the ledger records once however many times they arrive.
 */
export async function withRetries<T>(attempt: () => Promise<T>, attempts = 3): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= attempts || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs(error, n)));
    }
  }
}
