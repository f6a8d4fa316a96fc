import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { asksToRetry, requestGraphQLRetrying, retryWaitMs } from "../../tools/stack/graphql-client";

/**
 * The bench's first requests (tools/stack/graphql-client.ts): a CI run of the bench stopped on one
 * UPSTREAM_UNAVAILABLE while seven gateways started at once; the README tells clients to ask again.
 * A real HTTP server answers from a script, one answer per request (with `Retry-After: 1` where the
 * answer's `retryAfter` says so).
 */
describe("requestGraphQLRetrying", () => {
  let server: Server;
  let url: string;
  let script: ({ retryAfter?: boolean } & Record<string, unknown>)[] = [];
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const { retryAfter, ...body } = script[Math.min(requests, script.length - 1)];
        requests++;
        res.writeHead(200, { "content-type": "application/json", ...(retryAfter ? { "retry-after": "1" } : {}) });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    requests = 0;
  });

  const unavailable = { data: null, errors: [{ message: "The members service is not answering; try again shortly", extensions: { code: "UPSTREAM_UNAVAILABLE" } }] };
  const answer = { data: { member: { id: "m1" } } };

  it("asks again after answers that ask to retry, and returns the first answer with data", async () => {
    script = [unavailable, { data: null, errors: [{ message: "busy", extensions: { code: "OVERLOADED" } }] }, answer];
    const started = Date.now();
    await expect(requestGraphQLRetrying(url, "{ member { id } }")).resolves.toEqual({ member: { id: "m1" } });
    expect(requests).toBe(3);
    // Waits of 200 ms, then 400 ms, between the three requests.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it("waits the Retry-After the answer gave", async () => {
    script = [{ ...unavailable, retryAfter: true }, answer];
    const started = Date.now();
    await expect(requestGraphQLRetrying(url, "{ member { id } }")).resolves.toEqual({ member: { id: "m1" } });
    expect(requests).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it("never retries an answer that is final: another code, or a retry code beside one", async () => {
    script = [{ data: null, errors: [{ message: "no such member", extensions: { code: "NOT_FOUND" } }] }, answer];
    await expect(requestGraphQLRetrying(url, "{ member { id } }")).rejects.toThrow("no such member (NOT_FOUND)");
    expect(requests).toBe(1);
    requests = 0;
    script = [{ data: null, errors: [unavailable.errors[0], { message: "forbidden", extensions: { code: "FORBIDDEN" } }] }, answer];
    await expect(requestGraphQLRetrying(url, "{ member { id } }")).rejects.toThrow("FORBIDDEN");
    expect(requests).toBe(1);
  });

  it("gives up with the outage's error once its deadline has passed", async () => {
    script = [unavailable];
    // Asked at 0 ms and, after a 200 ms wait, again before the 250 ms deadline; the third answer, after 400 ms more, is thrown.
    await expect(requestGraphQLRetrying(url, "{ member { id } }", {}, {}, 250)).rejects.toThrow("(UPSTREAM_UNAVAILABLE)");
    expect(requests).toBe(3);
  });

  it("waits 200, 400, 800, then 1,000 ms between attempts, or the Retry-After given", () => {
    expect([1, 2, 3, 4, 5, 9].map((attempt) => retryWaitMs(attempt, null))).toEqual([200, 400, 800, 1_000, 1_000, 1_000]);
    expect(retryWaitMs(1, "2")).toBe(2_000);
  });

  it("reads codes as the README's contract does", () => {
    expect(asksToRetry([])).toBe(false);
    expect(asksToRetry(["UPSTREAM_UNAVAILABLE"])).toBe(true);
    expect(asksToRetry(["RATE_LIMITED", "OVERLOADED"])).toBe(true);
    expect(asksToRetry(["UPSTREAM_UNAVAILABLE", "BAD_USER_INPUT"])).toBe(false);
    expect(asksToRetry([undefined])).toBe(false);
  });
});
