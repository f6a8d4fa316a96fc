import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Fetcher, FetcherRequestInit } from "@apollo/utils.fetcher";
import { loadGatewayConfig } from "../../gateway/src/config";
import { SignedDataSource } from "../../gateway/src/gateway";
import { breakerFetcher } from "../../gateway/src/subgraph-breaker";
import { ResponseHeaders, createSubgraphFetcher } from "../../gateway/src/subgraph-fetcher";
import { CutShortError } from "../../shared/src/guarded-calls";
import { createLogger } from "../../shared/src/logger";

/**
 * One deadline per GraphQL request at the gateway (GATEWAY_REQUEST_TIMEOUT_MS): its setting, the time
 * each subgraph call is given (SignedDataSource), and the fetcher keeping to it. The whole path on a
 * stack: test/request-deadline.test.ts.
 */
describe("GATEWAY_REQUEST_TIMEOUT_MS", () => {
  const secrets = { JWT_SECRET: "j".repeat(32), GATEWAY_SECRET: "g".repeat(32), SERVICE_SECRET: "s".repeat(32) };
  it("is SUBGRAPH_TIMEOUT_MS by default (25 s, or as set)", () => {
    expect(loadGatewayConfig(secrets).requestTimeoutMs).toBe(25_000);
    expect(loadGatewayConfig({ ...secrets, SUBGRAPH_TIMEOUT_MS: "30000" }).requestTimeoutMs).toBe(30_000);
  });
  it("may be longer than SUBGRAPH_TIMEOUT_MS, never shorter: a request's first call gets the whole of it", () => {
    expect(loadGatewayConfig({ ...secrets, GATEWAY_REQUEST_TIMEOUT_MS: "40000" }).requestTimeoutMs).toBe(40_000);
    expect(loadGatewayConfig({ ...secrets, GATEWAY_REQUEST_TIMEOUT_MS: "25000" }).requestTimeoutMs).toBe(25_000);
    expect(() => loadGatewayConfig({ ...secrets, GATEWAY_REQUEST_TIMEOUT_MS: "24999" })).toThrow(/GATEWAY_REQUEST_TIMEOUT_MS \(24999\) must be at least SUBGRAPH_TIMEOUT_MS \(25000\)/);
    expect(() => loadGatewayConfig({ ...secrets, GATEWAY_REQUEST_TIMEOUT_MS: "soon" })).toThrow(/GATEWAY_REQUEST_TIMEOUT_MS must be an integer of at least 1, got "soon"/);
  });
});

describe("SignedDataSource under a request's deadline", () => {
  const log = createLogger("test");
  const sent: FetcherRequestInit[] = [];
  const answering: Fetcher = async (url, init = {}) => {
    sent.push(init);
    return { url, status: 200, ok: true, statusText: "200", bodyUsed: false, redirected: false, headers: new ResponseHeaders([["content-type", "application/json"]]), text: async () => `{"data":{}}`, json: async () => ({ data: {} }), arrayBuffer: async () => new ArrayBuffer(0), clone: () => { throw new Error("unused"); } };
  };
  const query = `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Partner { terms { version } } } }`;
  const call = (deadline: number | undefined) =>
    new SignedDataSource("ledger", "http://ledger/graphql", "s".repeat(32), answering, log).process({
      kind: "incoming operation",
      request: { query, variables: { representations: [{ __typename: "Partner", id: "p-1" }] } },
      context: { identity: { kind: "anonymous" }, deadline },
    } as never);
  beforeEach(() => void (sent.length = 0));

  it("gives each call the time its request has left", async () => {
    await call(performance.now() + 300);
    const { timeoutMs } = sent[0] as { timeoutMs: number };
    expect(timeoutMs).toBeGreaterThan(250);
    expect(timeoutMs).toBeLessThanOrEqual(300);
  });

  it("past the deadline sends nothing: the call's fields are UPSTREAM_UNAVAILABLE, each at its path", async () => {
    expect(await call(performance.now() - 1)).toEqual({
      errors: [{ message: "The ledger service is unavailable; try again shortly", path: ["_entities", 0, "terms"], extensions: { code: "UPSTREAM_UNAVAILABLE" } }],
    });
    expect(sent).toEqual([]);
  });

  it("no deadline (a context without one): the fetcher's own timeout only", async () => {
    await call(undefined);
    expect((sent[0] as { timeoutMs?: number }).timeoutMs).toBeUndefined();
  });
});

describe("createSubgraphFetcher keeps to the time left", () => {
  // A subgraph that answers each call after `answerAfterMs`.
  let server: Server;
  let url: string;
  let answerAfterMs = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => void setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(`{"data":{}}`), answerAfterMs));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const fetcher = createSubgraphFetcher({ connectionsPerOrigin: 4, timeoutMs: 5_000 });
  const timed = async (timeoutMs: number | undefined) => {
    const started = performance.now();
    const outcome = await fetcher(url, { method: "POST", body: "{}", timeoutMs }).then((response) => response.status, (error: Error) => error.message);
    return { outcome, ms: performance.now() - started };
  };

  it("in a request's last second, to the millisecond: 100 ms left, an answer at 300 ms is not waited for", async () => {
    answerAfterMs = 300;
    const { outcome, ms } = await timed(100);
    expect(outcome).toBe("no answer by the request's deadline (GATEWAY_REQUEST_TIMEOUT_MS)");
    expect(ms).toBeGreaterThanOrEqual(99);
    expect(ms).toBeLessThan(250);
    expect((await timed(400)).outcome).toBe(200);
    expect((await timed(undefined)).outcome).toBe(200);
  });

  it("with a second or more left, never before the deadline: 1 s left, an answer at 0.9 s arrives", async () => {
    // undici's own timers tick every half second; unpadded, 1 s could fire at 0.5 s.
    answerAfterMs = 900;
    expect((await timed(1_000)).outcome).toBe(200);
  });

  it("with a second or more left, at most a second after it: 1 s left, no answer in 3 s, cut between 1 and 2 s (and a little event-loop lag)", async () => {
    answerAfterMs = 3_000;
    const { outcome, ms } = await timed(1_000);
    expect(outcome).toBe("no answer by the request's deadline (GATEWAY_REQUEST_TIMEOUT_MS)");
    expect(ms).toBeGreaterThanOrEqual(999);
    expect(ms).toBeLessThan(2_400);
  });
});

describe("a call cut short by its request's deadline does not count against its subgraph", () => {
  // A healthy subgraph answering every call in 30 ms, and one that never answers, behind the gateway's fetcher and breaker (5 failures open it).
  let server: Server;
  let holding: Server;
  const urlOf = (at: Server) => `http://127.0.0.1:${(at.address() as AddressInfo).port}/graphql`;
  beforeAll(async () => {
    server = createServer((_req, res) => void setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(`{"data":{}}`), 30));
    holding = createServer(() => undefined);
    for (const one of [server, holding]) await new Promise<void>((resolve) => one.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const one of [server, holding]) {
      one.closeAllConnections();
      await new Promise((resolve) => one.close(resolve));
    }
  });
  const post = { method: "POST", body: "{}" };

  it("8 calls left 5 ms each are cut (CutShortError), and the breaker stays closed: the next call is answered", async () => {
    const url = urlOf(server);
    const fetcher = breakerFetcher(createSubgraphFetcher({ connectionsPerOrigin: 4, timeoutMs: 5_000 }), "ledger", url, { failuresToOpen: 5, openMs: 60_000, stallMs: 3_000 });
    for (let i = 0; i < 8; i++) await expect(fetcher(url, { ...post, timeoutMs: 5 })).rejects.toBeInstanceOf(CutShortError);
    expect((await fetcher(url, post)).status).toBe(200);
  });

  it("a subgraph's own timeout still counts: 5 calls with no answer in SUBGRAPH_TIMEOUT_MS open it", async () => {
    const url = urlOf(holding);
    const fetcher = breakerFetcher(createSubgraphFetcher({ connectionsPerOrigin: 8, timeoutMs: 50 }), "ledger", url, { failuresToOpen: 5, openMs: 60_000, stallMs: 0 });
    for (let i = 0; i < 5; i++) await expect(fetcher(url, post)).rejects.toThrow("Headers Timeout Error");
    await expect(fetcher(url, post)).rejects.toThrow("circuit open: ledger is not answering");
  });

  it("with a second or more left, undici's timer shortened to it is a cut too; at its full length it is not", async () => {
    const url = urlOf(holding);
    // 1 s left of 60: undici's timer set to about 1.5 s, then a cut.
    await expect(createSubgraphFetcher({ connectionsPerOrigin: 4, timeoutMs: 60_000 })(url, { ...post, timeoutMs: 1_000 })).rejects.toBeInstanceOf(CutShortError);
    // 1.4 s left of 1.2 s: the subgraph's own timeout, not shortened.
    await expect(createSubgraphFetcher({ connectionsPerOrigin: 4, timeoutMs: 1_200 })(url, { ...post, timeoutMs: 1_400 })).rejects.toThrow("Headers Timeout Error");
  });
});
