import { ApolloServer, HeaderMap } from "@apollo/server";
import { metricsRegistry } from "../../shared/src/metrics";
import { requestObserver } from "../../shared/src/request-observer";

/**
 * Anonymous callers name at most 20 of the 100 operation labels: a loop of anonymous requests with
 * made-up names took all 100 before, and every operation named after it (partner apps, members,
 * services) counted as `other` until a restart. This file's module state is its own (jest isolates it).
 */
describe("operation labels claimed by anonymous callers", () => {
  const server = new ApolloServer<{ identity: { kind: string } }>({ typeDefs: "type Query { fine: Int }", resolvers: { Query: { fine: () => 1 } }, plugins: [requestObserver()] });
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  const run = (name: string, kind: "anonymous" | "partner") =>
    server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers: new HeaderMap([["content-type", "application/json"]]), search: "", body: { query: `query ${name} { fine }` } },
      context: async () => ({ identity: { kind } }),
    });
  const count = async (operation: string) =>
    Number(new RegExp(`^graphql_requests_total\\{operation="${operation}",outcome="ok"\\} (\\d+)$`, "m").exec(await metricsRegistry.metrics())?.[1] ?? 0);

  it("labels the first 20 names anonymous callers send, counts the next 30 as other, and still labels a partner app's new name", async () => {
    for (let i = 1; i <= 50; i++) await run(`Junk${i}`, "anonymous");
    expect(await count("Junk20")).toBe(1);
    expect(await count("Junk21")).toBe(0);
    expect(await count("other")).toBe(30); // Junk21..Junk50
    await run("PartnerCheckout", "partner");
    expect(await count("PartnerCheckout")).toBe(1);
    // A name already labelled keeps its label whoever sends it next.
    await run("Junk3", "anonymous");
    await run("PartnerCheckout", "anonymous");
    expect(await count("Junk3")).toBe(2);
    expect(await count("PartnerCheckout")).toBe(2);
    expect(await count("other")).toBe(30);
  });
});
