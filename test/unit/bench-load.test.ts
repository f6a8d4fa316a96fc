import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { failureKind, sampleLoad, summarize } from "../../bench/load";

/**
 * The load generator sorts every answer as autocannon hands it over: data (its latency kept), shed
 * (503 with Retry-After and OVERLOADED) or failed. A local server answers by the request's body, so the counts are
 * known in advance.
 */
describe("bench load: shed apart from failures", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const kind = JSON.parse(body).kind as string;
        if (kind === "shed") res.writeHead(503, { "retry-after": "1", "content-type": "application/json" }).end('{"errors":[{"message":"overloaded","extensions":{"code":"OVERLOADED"}}]}');
        else if (kind === "503") res.writeHead(503, { "content-type": "application/json" }).end('{"errors":[{"message":"down"}]}');
        else if (kind === "errors") res.writeHead(200, { "content-type": "application/json" }).end('{"data":null,"errors":[{"message":"bad"}]}');
        else res.writeHead(200, { "content-type": "application/json" }).end('{"data":{"ok":true}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("counts 503 + Retry-After + OVERLOADED as shed, other 503s and GraphQL errors as failures, and keeps only the successes' latencies", async () => {
    // Repeating pattern of 4 answers: ok, shed, 503 without Retry-After, 200 with errors.
    const kinds = ["ok", "shed", "503", "errors"];
    let sent = 0;
    const sample = await sampleLoad({ url, connections: 1, durationSeconds: 1, next: () => ({ body: JSON.stringify({ kind: kinds[sent++ % 4] }), headers: {} }) });
    const answered = sample.latencies.length + sample.shed + sample.failures;
    expect(answered).toBeGreaterThanOrEqual(8);
    // One connection answers in order; the window may stop anywhere inside the last group of four.
    const groups = Math.floor(answered / 4);
    expect(sample.latencies.length).toBeGreaterThanOrEqual(groups);
    expect(sample.shed).toBeGreaterThanOrEqual(groups);
    expect(sample.failures).toBeGreaterThanOrEqual(2 * groups);
    expect(sample.latencies.length).toBeLessThanOrEqual(groups + 1);
    expect(sample.shed).toBeLessThanOrEqual(groups + 1);
    // The failures by kind: the 503s without Retry-After and the 200s with errors, one of each per group.
    expect(sample.failureKinds).toEqual({ "HTTP 503: down": expect.any(Number), "HTTP 200: bad": expect.any(Number) });
    expect(sample.failureKinds["HTTP 503: down"]! + sample.failureKinds["HTTP 200: bad"]!).toBe(sample.failures);
    const result = summarize([sample, sample]);
    expect(result).toMatchObject({ requests: 2 * sample.latencies.length, shed: 2 * sample.shed, failures: 2 * sample.failures });
    expect(result.failureKinds).toEqual({ "HTTP 503: down": 2 * sample.failureKinds["HTTP 503: down"]!, "HTTP 200: bad": 2 * sample.failureKinds["HTTP 200: bad"]! });
  });

  it("counts a request that got no answer (nothing listening) as a failure, once, by its error's code", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const sample = await sampleLoad({ url: `http://127.0.0.1:${port}/graphql`, connections: 1, durationSeconds: 1, next: () => ({ body: "{}", headers: {} }) });
    expect(sample.latencies).toEqual([]);
    expect(sample.failures).toBeGreaterThan(0);
    expect(sample.failureKinds).toEqual({ "no answer: ECONNREFUSED": sample.failures });
  });
});

describe("bench load: a request that timed out", () => {
  // A server that takes every request and never answers: autocannon gives up on one after its timeout.
  let server: Server;
  beforeAll(() => {
    server = createServer(() => {});
    return new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("counts it once (autocannon counts a timeout among its errors as well as its timeouts), as no answer", async () => {
    // One connection, a 6 s window, a 4 s timeout: the first request times out at 4 s, the second, sent then, is still
    // waiting at the end (2 s of slack either way: with 1 s and 1.5 s a busy CI machine ended the window late, after
    // the second had timed out too).
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const sample = await sampleLoad({ url, connections: 1, durationSeconds: 6, timeoutSeconds: 4, next: () => ({ body: "{}", headers: {} }) });
    expect(sample).toMatchObject({ latencies: [], shed: 0, failures: 1, failureKinds: { "no answer: request timed out": 1 } });
  });
});

describe("failureKind", () => {
  it("names a failed answer by its status and its first error's code, else the start of its message", () => {
    expect(failureKind(200, '{"data":null,"errors":[{"message":"x","extensions":{"code":"UPSTREAM_UNAVAILABLE"}},{"message":"y"}]}')).toBe("HTTP 200: UPSTREAM_UNAVAILABLE");
    expect(failureKind(500, '{"errors":[{"message":"Cannot query field"}]}')).toBe("HTTP 500: Cannot query field");
    expect(failureKind(200, `{"errors":[{"message":"${"m".repeat(100)}"}]}`)).toBe(`HTTP 200: ${"m".repeat(80)}`);
    expect(failureKind(502, "<html>Bad Gateway</html>")).toBe("HTTP 502");
    expect(failureKind(404, "")).toBe("HTTP 404");
  });
});
