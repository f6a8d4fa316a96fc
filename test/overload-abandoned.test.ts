import { request } from "node:http";
import { metricsRegistry } from "../shared/src/metrics";
import { serveGraphQL, type GraphQLHttpServer } from "../shared/src/http-server";

/**
 * A queued request whose client hangs up is dropped, not run (shared/src/overload.ts, ClientConnection),
 * over real sockets: Node's HTTP server has to tell the queue that the connection closed. One slot, a
 * request holding it; a second waits in the queue and its client goes away; when the slot frees, the
 * third request runs and the second never did.
 */
describe("a queued request whose client went away", () => {
  let server: GraphQLHttpServer;
  const ran: number[] = [];
  let releaseSlow!: () => void;
  const slowReleased = new Promise<void>((resolve) => (releaseSlow = resolve));

  beforeAll(async () => {
    server = await serveGraphQL({
      port: 0,
      apollo: {
        typeDefs: `type Query { run(id: Int!): Int! }`,
        resolvers: {
          Query: {
            run: async (_: unknown, { id }: { id: number }) => {
              ran.push(id);
              if (id === 1) await slowReleased;
              return id;
            },
          },
        },
      },
      context: async () => ({}),
      admission: { maxInFlight: 1, maxQueued: 4, queueTimeoutMs: 10_000, retryAfterSeconds: 1 },
    });
  });
  afterAll(async () => {
    releaseSlow();
    await server?.stop();
  });

  /** POSTs `run(id)`; `abort` destroys the client's socket. */
  const post = (id: number) => {
    const body = JSON.stringify({ query: `{ run(id: ${id}) }` });
    const sent = request(server.url, { method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      sent.on("response", (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, text }));
      });
      sent.on("error", reject);
    });
    sent.end(body);
    return { answer, abort: () => sent.destroy() };
  };

  const metric = async (name: string) => (await metricsRegistry.getSingleMetric(name)!.get()).values.reduce((sum, v) => sum + v.value, 0);
  const until = async (what: () => Promise<boolean>) => {
    for (let i = 0; i < 500 && !(await what()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await what()).toBe(true);
  };

  it("is dropped when its connection closes, and the next request gets the slot", async () => {
    const abandonedBefore = await metric("coalition_requests_abandoned_total");
    const slow = post(1);
    await until(async () => ran.includes(1));
    const gone = post(2);
    gone.answer.catch(() => {}); // its socket is destroyed below: no answer is expected
    await until(async () => (await metric("coalition_requests_queued")) === 1);
    gone.abort();
    await until(async () => (await metric("coalition_requests_abandoned_total")) === abandonedBefore + 1);
    expect(await metric("coalition_requests_queued")).toBe(0);
    const third = post(3);
    await until(async () => (await metric("coalition_requests_queued")) === 1);
    releaseSlow();
    expect(await slow.answer).toEqual({ status: 200, text: JSON.stringify({ data: { run: 1 } }) + "\n" });
    expect(await third.answer).toEqual({ status: 200, text: JSON.stringify({ data: { run: 3 } }) + "\n" });
    expect(ran).toEqual([1, 3]);
  });
});
