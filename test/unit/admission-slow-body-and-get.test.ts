import { connect } from "node:net";
import { serveGraphQL, type GraphQLHttpServer } from "../../shared/src/http-server";

const post = async (url: string, body: string) => {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: response.status, text: await response.text() };
};

/**
 * GATEWAY_MAX_IN_FLIGHT slots are for requests that run: a client that sends its body slowly (or never
 * finishes it) must not hold one, and a GET query takes a slot like a POST (shared/src/http-server.ts).
 */
describe("admission: slow bodies and GET queries", () => {
  let server: GraphQLHttpServer;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  beforeAll(async () => {
    server = await serveGraphQL({
      port: 0,
      apollo: { typeDefs: `type Query { run(id: Int!): Int! }`, resolvers: { Query: { run: async (_: unknown, { id }: { id: number }) => (id === 1 ? released.then(() => id) : id) } } },
      context: async () => ({}),
      admission: { maxInFlight: 2, maxQueued: 4, queueTimeoutMs: 5_000, retryAfterSeconds: 1 },
    });
  });
  afterAll(async () => {
    release();
    await server?.stop();
  });

  it("two connections that never finish their body do not take the slots from everyone else", async () => {
    const sockets = [0, 1].map(() => {
      const socket = connect(server.port, "127.0.0.1");
      socket.on("error", () => {});
      socket.write(`POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":`);
      return socket;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answer = await post(server.url, JSON.stringify({ query: `{ run(id: 2) }` }));
    for (const socket of sockets) socket.destroy();
    expect(answer.status).toBe(200);
  });

  it("a GET query is shed like a POST when every slot is taken", async () => {
    // Wait for the slots to free (slow sockets destroyed above).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const holders = [post(server.url, JSON.stringify({ query: `{ run(id: 1) }` })), post(server.url, JSON.stringify({ query: `{ run(id: 1) }` }))];
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Five more: four fill the queue, whichever comes last is refused at once (the queue is full).
    const queued = [3, 4, 5, 6, 7].map((id) => post(server.url, JSON.stringify({ query: `{ run(id: ${id}) }` })));
    const refused = new Promise((resolve) => queued.forEach((answer) => answer.then((a) => a.status === 503 && resolve(a))));
    const shedPost = await Promise.race([refused, new Promise((r) => setTimeout(() => r("none refused within 3 s"), 3_000))]);
    // Two running, four queued: a GET query is refused like a POST.
    const get = await fetch(`${server.url}?query=${encodeURIComponent("{ run(id: 9) }")}`, { headers: { "apollo-require-preflight": "true" } });
    release();
    const statuses = (await Promise.all([...holders, ...queued])).map((a) => a.status).sort();
    expect(shedPost).toMatchObject({ status: 503 });
    expect(get.status).toBe(503);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 503]);
  });
});

