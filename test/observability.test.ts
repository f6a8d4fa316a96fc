import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { signToken } from "../shared/src/auth/jwt";
import { createErrorFormatter } from "../shared/src/errors";
import type { Logger } from "../shared/src/logger";
import { requestObserver } from "../shared/src/request-observer";
import { bearer, requestGraphQL } from "../tools/stack/graphql-client";
import { HEADLINE_QUERY } from "../bench/scenarios";
import { useDedicatedStack } from "./support/dedicated-stack";
import { eventually } from "./support/eventually";

/** A span as OTLP/HTTP JSON carries it, with its service's name. */
interface Span {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}
const SERVER = 2;

/**
 * Request ids, traces and metrics of a stack of its own: its services export spans (OTLP/HTTP JSON)
 * to a receiver in this test and log at `info`.
 */
describe("observability", () => {
  const spans: Span[] = [];
  const exported: string[] = [];
  let receiver: Server;
  let endpoint: string;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        if (req.url === "/v1/traces") {
          exported.push(Buffer.concat(chunks).toString("utf8"));
          spans.push(...spansOf(JSON.parse(exported[exported.length - 1])));
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  const dedicated = useDedicatedStack("observability", () => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_BSP_SCHEDULE_DELAY: "100",
    LOG_LEVEL: "info",
  }));
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  let headline: (headers?: Record<string, string>) => Promise<Response>;
  let seeded: { partnerId: string; memberId: string; rewardId: string; asMember: Record<string, string> };
  beforeAll(async () => {
    const gateway = dedicated.stack.gatewayUrl;
    const admin = dedicated.admin();
    const tag = `obs-${Date.now()}`;
    const { registerPartner: partner } = await requestGraphQL(gateway, `mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { id } }`, {
      input: { slug: tag, name: "Observed Air", category: "AIRLINE", pointsPerUnit: 2, currency: "EUR", returnWindowDays: 0 },
    }, admin);
    const { enrollMember: member } = await requestGraphQL(gateway, `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
      input: { email: `${tag}@example.com`, displayName: "Observed Member" },
    }, admin);
    await requestGraphQL(gateway, `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, {
      input: { partnerId: partner.id, memberId: member.id, amountMinor: 10_000, currency: "EUR", reference: tag },
    }, admin);
    const { createReward: reward } = await requestGraphQL(gateway, `mutation($input: CreateRewardInput!) { createReward(input: $input) { id } }`, {
      input: { partnerId: partner.id, title: "Lounge pass", description: "One visit", costPoints: 100, minimumTier: "BASE", stock: null },
    }, admin);
    const asMember = bearer(signToken({ sub: member.id, role: "member" }, dedicated.stack.env.JWT_SECRET!));
    seeded = { partnerId: partner.id, memberId: member.id, rewardId: reward.id, asMember };
    headline = (headers = {}) =>
      fetch(gateway, {
        method: "POST",
        headers: { "content-type": "application/json", ...asMember, ...headers },
        body: JSON.stringify({ query: HEADLINE_QUERY, variables: { id: member.id } }),
      });
  }, 60_000);

  it("keeps a GET query's variables out of the traces: the URL's query string is recorded as [redacted]", async () => {
    const email = `secret-${randomUUID()}@example.com`;
    const query = encodeURIComponent("query Lookup($e: String!) { memberByEmail(email: $e) { id } }");
    const response = await fetch(`${dedicated.stack.gatewayUrl}?query=${query}&variables=${encodeURIComponent(JSON.stringify({ e: email }))}`, {
      headers: { ...dedicated.admin(), "apollo-require-preflight": "true" },
    });
    expect(response.status).toBe(200);
    await eventually(() => {
      expect(exported.join("\n")).toContain('"stringValue":"[redacted]"');
      return true;
    });
    const local = email.slice(0, email.indexOf("@"));
    expect(exported.join("\n")).not.toContain(local);
  });

  it("echoes a valid x-request-id, replaces an unsafe one, and makes one when there is none", async () => {
    const given = `client-${randomUUID()}`;
    expect((await headline({ "x-request-id": given })).headers.get("x-request-id")).toBe(given);
    for (const unsafe of ["a b", "x".repeat(200), "<script>"]) {
      const answered = (await headline({ "x-request-id": unsafe })).headers.get("x-request-id");
      expect(answered).not.toBe(unsafe);
      expect(answered).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await headline()).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one line per request with its id, at the gateway and at every subgraph it called", async () => {
    const requestId = `obs-${randomUUID()}`;
    const response = await headline({ "x-request-id": requestId });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    // Each service writes its line after answering: wait until every one of them is there.
    await eventually(() => {
      const lines = readFileSync(process.env.TEST_SERVICES_LOG!, "utf8").split("\n").filter((line) => line.includes(requestId)).map((line) => JSON.parse(line));
      const gatewayLine = lines.find((line) => line.service === "gateway");
      expect(gatewayLine).toMatchObject({ level: "info", message: "request", requestId, operation: "Headline", status: 200 });
      expect(typeof gatewayLine.ms).toBe("number");
      expect(gatewayLine).not.toHaveProperty("errors");
      const subgraphs = new Set(lines.filter((line) => line.service !== "gateway").map((line) => line.service));
      expect(subgraphs.size).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line).toMatchObject({ message: "request", requestId });
      return true;
    });
  });

  it("passes the request id on when one service calls another", async () => {
    const gateway = dedicated.stack.gatewayUrl;
    const admin = dedicated.admin();
    const servicesThatLogged = (requestId: string) =>
      new Set(
        readFileSync(process.env.TEST_SERVICES_LOG!, "utf8")
          .split("\n")
          .filter((line) => line.includes(requestId))
          .map((line) => JSON.parse(line))
          .filter((line) => line.message === "request" && line.requestId === requestId)
          .map((line) => line.service as string),
      );
    // The gateway sends a purchase to the ledger only; the ledger asks the members service about a
    // member it has no account for yet.
    const tag = `obs-chain-${Date.now()}`;
    const { enrollMember: newcomer } = await requestGraphQL(gateway, `mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
      input: { email: `${tag}@example.com`, displayName: "Chained Member" },
    }, admin);
    const purchaseRequest = `obs-purchase-${randomUUID()}`;
    await requestGraphQL(gateway, `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id } }`, {
      input: { partnerId: seeded.partnerId, memberId: newcomer.id, amountMinor: 1_000, currency: "EUR", reference: tag },
    }, { ...admin, "x-request-id": purchaseRequest });
    // The gateway writes its line after answering, possibly after the others: wait for all three.
    await eventually(() => {
      expect([...servicesThatLogged(purchaseRequest)]).toEqual(expect.arrayContaining(["gateway", "ledger", "members"]));
      return true;
    });

    // The gateway sends a redemption to the catalog only; the catalog holds and takes the points in the ledger.
    const redemptionRequest = `obs-redeem-${randomUUID()}`;
    const { redeemReward } = await requestGraphQL(gateway, `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { status } }`, {
      input: { memberId: seeded.memberId, rewardId: seeded.rewardId, idempotencyKey: tag },
    }, { ...seeded.asMember, "x-request-id": redemptionRequest });
    expect(redeemReward.status).toBe("COMPLETED");
    await eventually(() => {
      expect([...servicesThatLogged(redemptionRequest)]).toEqual(expect.arrayContaining(["gateway", "catalog", "ledger"]));
      return true;
    });
  });

  it("traces a request across the gateway and the subgraphs it called, down to their SQL", async () => {
    // The client's own trace (W3C traceparent) is continued, so its id is known here.
    const traceId = randomBytes(16).toString("hex");
    const clientSpanId = randomBytes(8).toString("hex");
    const response = await headline({ traceparent: `00-${traceId}-${clientSpanId}-01` });
    expect(response.status).toBe(200);
    // Each service exports its spans in batches of its own: wait until the whole tree is there.
    await eventually(() => {
      const trace = spans.filter((span) => span.traceId === traceId);
      const byId = new Map(trace.map((span) => [span.spanId, span]));
      const services = new Set(trace.map((span) => span.service));
      expect(services.has("coalition-gateway")).toBe(true);
      const gatewaySpans = trace.filter((span) => span.service === "coalition-gateway");
      // The query plan is cached by now, so no gateway.plan span.
      for (const name of ["gateway.request", "gateway.execute", "gateway.fetch"]) expect(gatewaySpans.map((span) => span.name)).toContain(name);
      expect(gatewaySpans.find((span) => span.kind === SERVER)).toMatchObject({ parentSpanId: clientSpanId, scope: "@opentelemetry/instrumentation-http" });

      // Every subgraph's server span hangs under the gateway's undici call, itself under a gateway.fetch span
      // (or gateway.identity: the members service's check that a member token's member was not erased).
      const subgraphServers = trace.filter((span) => span.service !== "coalition-gateway" && span.kind === SERVER);
      expect(new Set(subgraphServers.map((span) => span.service)).size).toBeGreaterThanOrEqual(2);
      for (const server of subgraphServers) {
        const call = byId.get(server.parentSpanId!);
        expect(call).toMatchObject({ service: "coalition-gateway", scope: "@opentelemetry/instrumentation-undici" });
        expect(byId.get(call!.parentSpanId!)).toMatchObject({ service: "coalition-gateway", name: expect.stringMatching(/^gateway\.(fetch|identity)$/) });
      }
      // Postgres queries of at least two subgraphs, inside their requests.
      const pg = trace.filter((span) => span.scope === "@opentelemetry/instrumentation-pg");
      expect(new Set(pg.map((span) => span.service)).size).toBeGreaterThanOrEqual(2);
      for (const span of pg) expect(span.parentSpanId).toBeTruthy();
      return true;
    });
  });

  it("serves Prometheus metrics: operations, latencies, subgraph calls, the database pool", async () => {
    const gatewayMetrics = () => scrape(dedicated.stack.gatewayUrl);
    const ledgerMetrics = () => scrape(dedicated.stack.services.ledger.url);
    const before = await gatewayMetrics();
    for (let i = 0; i < 3; i++) expect((await headline()).status).toBe(200);
    const gateway = await gatewayMetrics();
    const ok = sample("graphql_requests_total", { operation: "Headline", outcome: "ok" });
    expect(gateway.get(ok)! - (before.get(ok) ?? 0)).toBe(3);
    expect(gateway.get(sample("graphql_request_duration_seconds_count", { operation: "Headline" }))).toBeGreaterThanOrEqual(3);
    expect(gateway.get(sample("graphql_request_duration_seconds_bucket", { operation: "Headline", le: "+Inf" }))).toBe(gateway.get(sample("graphql_request_duration_seconds_count", { operation: "Headline" })));
    expect(gateway.get(sample("graphql_request_duration_seconds_bucket", { operation: "Headline", le: "0.001" }))).toBeDefined();
    expect(gateway.get(sample("gateway_subgraph_fetch_duration_seconds_count", { subgraph: "ledger", outcome: "ok" }))).toBeGreaterThanOrEqual(3);
    expect(gateway.get(sample("gateway_subgraph_fetch_duration_seconds_sum", { subgraph: "ledger", outcome: "ok" }))).toBeGreaterThan(0);
    expect(gateway.get("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(gateway.get("nodejs_eventloop_lag_seconds")).toBeDefined();

    const ledger = await ledgerMetrics();
    // The gateway names its subgraph operations after the client's.
    const ledgerOperations = [...ledger.keys()].filter((key) => key.startsWith("graphql_requests_total{operation=\"Headline__ledger"));
    expect(ledgerOperations.length).toBeGreaterThan(0);
    expect(ledger.get("db_pool_connections")).toBeGreaterThanOrEqual(1);
    expect(ledger.get("db_pool_idle_connections")).toBeGreaterThanOrEqual(0);
    expect(ledger.get("db_pool_waiting_clients")).toBe(0);
    expect(ledger.get("db_pool_max_connections")).toBeGreaterThanOrEqual(4);
    expect(ledger.get("coalition_sql_statements_total")).toBeGreaterThan(0);
  });

  it("lets anonymous callers name at most 20 operations: an admin's new name after 30 anonymous ones is labelled", async () => {
    const gateway = dedicated.stack.gatewayUrl;
    const stamp = Date.now();
    for (let i = 0; i < 30; i++) await requestGraphQL(gateway, `query Junk${i}_${stamp} { __typename }`, {});
    await requestGraphQL(gateway, `query AdminAfterJunk_${stamp} { __typename }`, {}, dedicated.admin());
    const operations = [...(await scrape(gateway)).keys()].map((key) => /^graphql_requests_total\{operation="([^"]*)"/.exec(key)?.[1]);
    expect(operations.filter((name) => name?.endsWith(`_${stamp}`) && name.startsWith("Junk"))).toHaveLength(20);
    expect(operations).toContain(`AdminAfterJunk_${stamp}`);
  });

  it("labels only the first 100 operation names; the rest count as other", async () => {
    const gateway = dedicated.stack.gatewayUrl;
    for (let i = 0; i < 110; i++) await requestGraphQL(gateway, `query Probe${i}_${Date.now()} { __typename }`, {}, dedicated.admin());
    await requestGraphQL(gateway, `{ __typename }`, {}, dedicated.admin());
    const metrics = await scrape(gateway);
    const operations = new Set([...metrics.keys()].map((key) => /^graphql_requests_total\{operation="([^"]*)"/.exec(key)?.[1]).filter(Boolean));
    expect(operations.size).toBeLessThanOrEqual(100 + 4); // + anonymous, invalid, unknown, other
    expect(metrics.get(sample("graphql_requests_total", { operation: "other", outcome: "ok" }))).toBeGreaterThan(0);
    expect(metrics.get(sample("graphql_requests_total", { operation: "anonymous", outcome: "ok" }))).toBeGreaterThan(0);
  });

  it("sends the spans it still holds when stopped with SIGTERM", async () => {
    // Spans wait a minute before export: only the shutdown can have sent these.
    await dedicated.stack.restart("gateway", { OTEL_BSP_SCHEDULE_DELAY: "60000" });
    const traceId = randomBytes(16).toString("hex");
    expect((await headline({ traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01` })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(spans.filter((span) => span.traceId === traceId && span.service === "coalition-gateway")).toHaveLength(0);
    await dedicated.stack.restart("gateway");
    const gatewaySpans = await eventually(() => {
      const found = spans.filter((span) => span.traceId === traceId && span.service === "coalition-gateway");
      return found.length ? found : undefined;
    });
    expect(gatewaySpans.map((span) => span.name)).toContain("gateway.request");
  });
});

describe("request logs in process", () => {
  it("carry the request id into an unexpected error's log line", async () => {
    const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const log = Object.fromEntries(["debug", "info", "warn", "error"].map((level) => [level, (message: string, fields?: Record<string, unknown>) => lines.push({ level, message, fields })])) as unknown as Logger;
    const server = new ApolloServer({
      typeDefs: "type Query { boom: Int, fine: Int }",
      resolvers: { Query: { boom: () => {
          throw new Error("connection lost");
        }, fine: () => 1 } },
      formatError: createErrorFormatter(log),
      plugins: [requestObserver(log)],
    });
    await server.start();
    try {
      const headers = new HeaderMap([["content-type", "application/json"], ["x-request-id", "req-42"]]);
      await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: "POST", headers, search: "", body: { query: "query Probe { boom fine }" } }, context: async () => ({}) });
    } finally {
      await server.stop();
    }
    expect(lines.find((line) => line.message === "unexpected error")?.fields).toMatchObject({ requestId: "req-42", path: ["boom"] });
    expect(lines.find((line) => line.message === "request")).toMatchObject({ level: "info", fields: { requestId: "req-42", operation: "Probe", status: 200, errors: ["INTERNAL_SERVER_ERROR"] } });
  });
});

/** OTLP/HTTP JSON: resourceSpans[].scopeSpans[].spans[], ids in hex. */
function spansOf(body: any): Span[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans: any) => {
    const service = resourceSpans.resource?.attributes?.find((attribute: any) => attribute.key === "service.name")?.value?.stringValue;
    return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans: any) =>
      (scopeSpans.spans ?? []).map((span: any) => ({ service, scope: scopeSpans.scope?.name, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, name: span.name, kind: span.kind })),
    );
  });
}

/** A service's /metrics: each sample's value by `name{labels}`, labels sorted by name. */
async function scrape(graphqlUrl: string): Promise<Map<string, number>> {
  const url = new URL(graphqlUrl);
  url.pathname = "/metrics";
  const text = await (await fetch(url)).text();
  const metrics = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
    metrics.set(sample(match[1], labels), Number(match[3]));
  }
  return metrics;
}

/** The key of a sample in `scrape`'s map. */
function sample(name: string, labels: Record<string, string> = {}): string {
  const names = Object.keys(labels).sort();
  return names.length ? `${name}{${names.map((label) => `${label}="${labels[label]}"`).join(",")}}` : name;
}

