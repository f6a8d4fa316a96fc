import { createClient, withRetries } from "../../examples/partner-app/src/client";

/**
 * The example partner app's retries follow the README's contract (Error codes): retry only
 * UPSTREAM_UNAVAILABLE, OVERLOADED, RATE_LIMITED and no answer, waiting `Retry-After` seconds (or
 * `extensions.retryAfter`) when given; never INTERNAL_SERVER_ERROR automatically.
 */
const document = { kind: "Document", definitions: [], __meta__: { hash: "a".repeat(64) } } as any;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("examples/partner-app withRetries", () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  function answers(...responses: Response[]) {
    const times: number[] = [];
    global.fetch = jest.fn(async () => {
      times.push(Date.now());
      return responses.shift()!;
    }) as any;
    return times;
  }

  it("waits the Retry-After header's seconds after an UPSTREAM_UNAVAILABLE answer (which has no extensions.retryAfter)", async () => {
    const times = answers(
      json(503, { errors: [{ message: "The ledger service is unavailable; try again shortly", extensions: { code: "UPSTREAM_UNAVAILABLE" } }], data: null }, { "retry-after": "1" }),
      json(200, { data: { ok: true } }),
    );
    const request = createClient("http://gateway.invalid/graphql", "ck_test");
    expect(await withRetries(() => request(document, {}))).toEqual({ ok: true });
    expect(times).toHaveLength(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
  });

  it("does not retry INTERNAL_SERVER_ERROR (HTTP 500) by itself", async () => {
    answers(json(500, { errors: [{ message: "Unexpected error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] }), json(200, { data: { ok: true } }));
    const request = createClient("http://gateway.invalid/graphql", "ck_test");
    await expect(withRetries(() => request(document, {}))).rejects.toMatchObject({ codes: ["INTERNAL_SERVER_ERROR"] });
    expect(global.fetch).toHaveBeenCalledTimes(1);
  });
});
