import { randomBytes } from "node:crypto";
import { metricsToken } from "../shared/src/metrics";
import { useDedicatedStack } from "./support/dedicated-stack";

const TOKEN = randomBytes(24).toString("base64url");

/** METRICS_TOKEN closes GET /metrics on the gateway (a public port) and on every subgraph. */
describe("metrics behind METRICS_TOKEN", () => {
  const dedicated = useDedicatedStack("metricstoken", { METRICS_TOKEN: TOKEN });
  const metricsOf = (graphqlUrl: string, headers: Record<string, string> = {}) => fetch(new URL("/metrics", graphqlUrl), { headers });
  const servers = () => [["gateway", dedicated.stack.gatewayUrl], ...Object.values(dedicated.stack.services).filter((s) => s.name !== "gateway").map((s) => [s.name, s.url])];

  it("answers only the token, on every service", async () => {
    for (const [name, url] of servers()) {
      const wrong: Record<string, string>[] = [{}, { authorization: "Bearer not-the-token" }, { authorization: TOKEN }];
      for (const headers of wrong) {
        const refused = await metricsOf(url, headers);
        expect({ name, status: refused.status }).toEqual({ name, status: 401 });
        expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      }
      const served = await metricsOf(url, { authorization: `Bearer ${TOKEN}` });
      expect({ name, status: served.status }).toEqual({ name, status: 200 });
      expect(await served.text()).toContain("graphql_requests_total");
      // Health checks need no token.
      expect((await fetch(new URL("/health", url))).status).toBe(200);
    }
  });

  it("refuses a token too short to be a secret", () => {
    expect(() => metricsToken({ METRICS_TOKEN: "short" })).toThrow("METRICS_TOKEN must be at least 32 characters");
    expect(metricsToken({ METRICS_TOKEN: TOKEN })).toBe(TOKEN);
    expect(metricsToken({})).toBeUndefined();
  });
});
