import { ApolloServer, HeaderMap } from "@apollo/server";
import { MAX_OPERATION_LABEL_LENGTH, metricsRegistry, operationLabel } from "../../shared/src/metrics";
import { requestObserver } from "../../shared/src/request-observer";

/**
 * Operation names come from clients and may be as long as a request: past 128 characters the
 * `operation` label is `other`, or 100 names of 100 KB each made every scrape of /metrics 170 MB.
 */
describe("operation label length", () => {
  it("labels a name longer than the cap as other, and keeps one of the cap's length", () => {
    expect(operationLabel(`Q${"x".repeat(MAX_OPERATION_LABEL_LENGTH)}`)).toBe("other");
    const longest = `Q${"x".repeat(MAX_OPERATION_LABEL_LENGTH - 1)}`;
    expect(operationLabel(longest)).toBe(longest);
  });

  it("never puts a 50,000-character operation name into /metrics", async () => {
    const server = new ApolloServer({ typeDefs: "type Query { fine: Int }", resolvers: { Query: { fine: () => 1 } }, plugins: [requestObserver()] });
    await server.start();
    const name = `Q${"x".repeat(50_000)}`;
    try {
      const headers = new HeaderMap([["content-type", "application/json"]]);
      const answer = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: "POST", headers, search: "", body: { query: `query ${name} { fine }` } }, context: async () => ({}) });
      expect(answer.status ?? 200).toBe(200);
    } finally {
      await server.stop();
    }
    const scrape = await metricsRegistry.metrics();
    expect(scrape.includes(name.slice(0, 1000))).toBe(false);
    expect(scrape).toContain('graphql_requests_total{operation="other",outcome="ok"} 1');
  });
});
