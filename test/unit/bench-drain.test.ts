import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { drain, warmUp } from "../../bench/load";

/**
 * Between two gateways' windows the harness waits for the one just measured to work off what its
 * window left in flight (drain), and a warm-up is one pass, never taken again. A local server answers
 * one request at a time, each after `serveMs`, so how long each wait must take is known in advance.
 */
describe("bench load: drain and warm-up", () => {
  let server: Server;
  let url: string;
  let serveMs = 100;
  let shedFirst = 0;
  let hang = false;
  let seen = 0;
  let queue: Promise<void> = Promise.resolve();
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        seen++;
        if (hang) return; // never answered (the test's drain gives up at its bound)
        if (shedFirst > 0) {
          shedFirst--;
          res.writeHead(503, { "retry-after": "1" }).end("{}");
          return;
        }
        // One at a time, in arrival order: a request waits for every one before it.
        const ms = serveMs;
        queue = queue.then(() => new Promise<void>((resolve) => setTimeout(() => { res.end('{"data":{}}'); resolve(); }, ms).unref()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    serveMs = 100;
    shedFirst = 0;
    hang = false;
    seen = 0;
  });
  const next = () => ({ body: "{}", headers: {} });

  it("returns once the backlog a window left is through: 5 requests of 100 ms ahead of its own, 600 ms from the first", async () => {
    const backlogSent = Date.now();
    const backlog = Array.from({ length: 5 }, () => fetch(url, { method: "POST", body: "{}" }).then((r) => r.arrayBuffer()));
    await new Promise((resolve) => setTimeout(resolve, 50)); // all five have arrived
    const waited = await drain({ url, next });
    // Served one at a time: the five (5 × 100 ms), then its own (100 ms), none before the first arrived.
    expect(Date.now() - backlogSent).toBeGreaterThanOrEqual(590);
    expect(waited).toBeLessThan(5_000);
    expect(seen).toBe(6);
    await Promise.all(backlog);
  });

  it("asks again after a shed answer (503), until one is not shed", async () => {
    shedFirst = 2;
    const waited = await drain({ url, next });
    expect(seen).toBe(3); // two shed, then one answered
    expect(waited).toBeGreaterThanOrEqual(2 * 100 + 100); // two pauses of 100 ms, then 100 ms to serve
  });

  it("gives up at its bound when the gateway does not answer", async () => {
    hang = true;
    const waited = await drain({ url, next }, 0.3);
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(2_000);
  });

  it("warms up in one pass even when nothing finishes in it (a measurement would be taken again, 1 + 2 + 4 windows)", async () => {
    serveMs = 5_000;
    const started = Date.now();
    await warmUp({ url, connections: 2, durationSeconds: 1, next });
    const elapsed = Date.now() - started;
    // One pass of 1 s (autocannon does not wait for what is in flight); taken again it would be 1 + 2 + 4 = 7 s.
    expect(elapsed).toBeLessThan(3_000);
    expect(seen).toBe(2); // one request per connection, none answered in the window
  });
});
