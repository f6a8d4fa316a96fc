import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadGatewayConfig } from "../gateway/src/config";
import { createGateway } from "../gateway/src/gateway";
import { serveGateway } from "../gateway/src/server";
import { createLogger } from "../shared/src/logger";
import type { GraphQLHttpServer } from "../shared/src/http-server";
import { freePort } from "../tools/stack/services";

/**
 * A subgraph that answers a value its schema does not allow (a string where an Int belongs, null where
 * a field is non-null: a half-done deploy, a proxy, a bug) must not make the gateway answer a wrong
 * value without a word. @apollo/gateway nulls such a field and, when nothing else failed, puts why
 * under `extensions.valueCompletion`, beside `data`, with no `errors`: a client reading `errors`
 * (Apollo Client, urql, the README's error codes) took `Reward.stock: null` for "no stock limit", and
 * `data: null` with no error for an empty success. Each such field is an INTERNAL_SERVER_ERROR at its
 * path, as any bug of ours.
 *
 * The gateway runs in this process with the catalog's URL pointing at a fake catalog that answers
 * `answer` to every call; the query reads the catalog only, anonymously, so no other service is asked.
 */
describe("a subgraph answering values its schema does not allow", () => {
  let answer: unknown;
  let fakeCatalog: Server;
  let gateway: GraphQLHttpServer;
  const savedCatalogUrl = process.env.CATALOG_URL;

  beforeAll(async () => {
    fakeCatalog = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)));
    });
    await new Promise<void>((resolve) => fakeCatalog.listen(0, "127.0.0.1", resolve));
    // Read by the gateway's routing (subgraph-routing.ts) when it builds its data sources.
    process.env.CATALOG_URL = `http://127.0.0.1:${(fakeCatalog.address() as AddressInfo).port}/graphql`;
    const config = loadGatewayConfig({
      ...process.env,
      NODE_ENV: "test",
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_SECRET: "g".repeat(32),
      SERVICE_SECRET: "s".repeat(32),
      JWT_SECRET: "j".repeat(32),
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
      DISABLE_ENTITY_CACHE: "1",
    });
    const log = createLogger("test");
    gateway = await serveGateway(createGateway(log, config), log, config);
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    fakeCatalog?.closeAllConnections();
    await new Promise((resolve) => fakeCatalog?.close(resolve));
    if (savedCatalogUrl === undefined) delete process.env.CATALOG_URL;
    else process.env.CATALOG_URL = savedCatalogUrl;
  });

  const ask = async (query: string) => {
    const response = await fetch(gateway.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: any; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[]; extensions?: Record<string, unknown> };
  };
  const REWARD = "0b6f1c1e-3c1a-4c5e-9d1f-2a4b6c8d0e1f";

  it("a nullable field answered with a wrong type is null with an INTERNAL_SERVER_ERROR at its path, not a silent null (stock null reads as unlimited)", async () => {
    answer = { data: { reward: { id: REWARD, title: "Mug", stock: "lots" } } };
    const body = await ask(`{ reward(id: "${REWARD}") { id title stock } }`);
    expect(body.data).toEqual({ reward: { id: REWARD, title: "Mug", stock: null } });
    expect(body.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([["INTERNAL_SERVER_ERROR", ["reward", "stock"]]]);
    expect(body.extensions?.valueCompletion).toBeUndefined();
  });

  it("a wrong value is still an error when the same subgraph answer also has an error of its own (@apollo/gateway then drops valueCompletion)", async () => {
    // @apollo/gateway 2.14 (executeQueryPlan.js) reports value completion only `if (errors.length === 0 && ...)`:
    // with any fetch error beside it, `stock: "lots"` became a silent null again.
    answer = {
      data: { garbage: { id: REWARD, stock: "lots" }, broken: null },
      errors: [{ message: "the catalog failed this one", path: ["broken"], extensions: { code: "INTERNAL_SERVER_ERROR" } }],
    };
    const body = await ask(`{ garbage: reward(id: "${REWARD}") { id stock } broken: reward(id: "${REWARD}") { id } }`);
    expect(body.data).toEqual({ garbage: { id: REWARD, stock: null }, broken: null });
    const paths = body.errors?.map((error) => [error.extensions?.code, error.path]);
    expect(paths).toContainEqual(["INTERNAL_SERVER_ERROR", ["garbage", "stock"]]);
    expect(paths?.some(([, path]) => JSON.stringify(path) === JSON.stringify(["broken"]))).toBe(true);
    expect(body.errors).toHaveLength(2);
    expect(body.extensions?.valueCompletion).toBeUndefined();
  });

  it("a null for a non-null field that the subgraph's own error explains (at its path, or a failed call) adds no error of ours", async () => {
    // The subgraph says why title is null (wrongly not bubbling it up itself): its error is the one answered.
    answer = { data: { reward: { id: REWARD, title: null } }, errors: [{ message: "no title today", path: ["reward", "title"], extensions: { code: "INTERNAL_SERVER_ERROR" } }] };
    const explained = await ask(`{ reward(id: "${REWARD}") { id title } }`);
    expect(explained.data).toEqual({ reward: null });
    // One error, the subgraph's (its message is hidden as any INTERNAL_SERVER_ERROR's): none of ours beside it.
    expect(explained.errors?.map((error) => error.path)).toEqual([["reward", "title"]]);
    // A call that failed as a whole (no data at all) leaves `rewards` missing: the failure alone is answered.
    answer = { errors: [{ message: "the catalog is down", extensions: { code: "UPSTREAM_UNAVAILABLE" } }] };
    const failed = await ask(`{ rewards(first: 3) { id } }`);
    expect(failed.data).toBeNull();
    expect(failed.errors?.map((error) => error.extensions?.code)).toEqual(["UPSTREAM_UNAVAILABLE"]);
  });

  it("a non-null field answered null nulls its parent with an INTERNAL_SERVER_ERROR, never data: null alone", async () => {
    answer = { data: { rewards: null } };
    const body = await ask(`{ rewards(first: 3) { id } }`);
    expect(body.data).toBeNull();
    expect(body.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([["INTERNAL_SERVER_ERROR", ["rewards"]]]);
    expect(body.extensions?.valueCompletion).toBeUndefined();
  });
});
