import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { requestGraphQL } from "../tools/stack/graphql-client";
import { useDedicatedStack } from "./support/dedicated-stack";

/** An HTTP proxy to a subgraph that holds each GraphQL call (POST) `holdMs` before passing it on; /health passes at once. */
class HoldingProxy {
  holdMs = 0;
  calls = 0;
  private server: Server | undefined;

  constructor(private readonly target: () => string) {}

  async url(): Promise<string> {
    if (!this.server) {
      this.server = createServer((req, res) => void this.forward(req, res).catch(() => res.destroy()));
      await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    }
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === "POST") {
      this.calls++;
      await new Promise((resolve) => setTimeout(resolve, this.holdMs));
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string" && !HOP_HEADERS.has(name)) headers[name] = value;
    const answer = await fetch(new URL(req.url ?? "/", this.target()), { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => void (HOP_HEADERS.has(name) ? undefined : (out[name] = value)));
    if (!res.destroyed) res.writeHead(answer.status, out).end(body);
  }
}

// Headers of one connection, or describing a body fetch() has already decoded and measured.
const HOP_HEADERS = new Set(["host", "connection", "keep-alive", "content-length", "transfer-encoding", "content-encoding"]);

/**
 * One deadline per GraphQL request (README, Error codes: "Give every request a timeout of about 30 s"):
 * the gateway's calls to its subgraphs share it, so a request whose plan calls partners then the ledger
 * answers by the deadline, not after the sum of each call's own timeout. The gateway reaches those two
 * subgraphs through proxies that hold each call for a set time; its timeouts are small so the test is quick.
 *
 * By hand, with SUBGRAPH_TIMEOUT_MS 1000 (and the request's deadline its default, the same 1 s):
 * - partners 0.8 s, then the ledger 0.8 s: the ledger's call has 0.2 s left and is cut at 1.0 s, so the
 *   answer comes at about 1.0 s (under 1.55 s: slack for a busy machine; each call waiting its own 1 s, it came at 1.6 s), with the
 *   partner's name and `terms` null, UPSTREAM_UNAVAILABLE at ["partner", "terms"], HTTP 200 (partial data);
 * - partners 0.3 s, then the ledger 0.3 s: 0.6 s in all, within the deadline: everything answered;
 * - partners 1.7 s: the first call is cut at 1.0 s (under 1.55 s; uncut, 1.7 s), the ledger is never called
 *   (no partner to ask about), and with no data the answer is HTTP 503 with Retry-After, as for any timeout.
 */
describe("one deadline per request at the gateway", () => {
  const dedicated = useDedicatedStack("deadline", { RATE_LIMIT_PER_MINUTE: "100000" });
  const partnersProxy = new HoldingProxy(() => dedicated.stack.env.PARTNERS_URL!);
  const ledgerProxy = new HoldingProxy(() => dedicated.stack.env.LEDGER_URL!);
  const QUERY = `query($id: ID!) { partner(id: $id) { name terms { version } } }`;
  let partnerId: string;

  /**
   * The gateway again, calling partners and the ledger through the proxies, with small timeouts; then
   * one request held nowhere, so the timed ones find its query plan made and its connections open.
   */
  const restartGateway = async (env: NodeJS.ProcessEnv = {}) => {
    await dedicated.stack.restart("gateway", {
      PARTNERS_URL: await partnersProxy.url(),
      LEDGER_URL: await ledgerProxy.url(),
      SUBGRAPH_TIMEOUT_MS: "1000",
      SERVICE_CALL_TIMEOUT_MS: "150", // SUBGRAPH_TIMEOUT_MS must be more than 6 × this (checked at start)
      ...env,
    });
    hold(0, 0);
    expect((await ask()).body).toEqual({ data: { partner: { name: "Deadline", terms: { version: 1 } } } });
  };

  beforeAll(async () => {
    const call = (query: string, variables: Record<string, unknown> = {}) => requestGraphQL<any>(dedicated.stack.gatewayUrl, query, variables, dedicated.admin());
    ({ registerPartner: { id: partnerId } } = await call(`mutation { registerPartner(input: { slug: "deadline", name: "Deadline", category: OTHER, pointsPerUnit: 1, currency: "EUR", returnWindowDays: 0 }) { id } }`));
    await call(`mutation($p: ID!) { setPartnerTerms(input: { partnerId: $p, issuePricePer1000: 1000, redemptionPricePer1000: 800, breakageSharePercent: 50, billing: POSTPAID }) { version } }`, { p: partnerId });
    await restartGateway();
  }, 60_000);
  afterAll(async () => {
    await partnersProxy.close();
    await ledgerProxy.close();
  });

  const ask = async () => {
    const started = performance.now();
    const response = await fetch(dedicated.stack.gatewayUrl, {
      method: "POST",
      // no-cache: the partner's name is never served from the gateway's entity cache, always fetched.
      headers: { "content-type": "application/json", "cache-control": "no-cache", ...dedicated.admin() },
      body: JSON.stringify({ query: QUERY, variables: { id: partnerId } }),
    });
    const body = (await response.json()) as any;
    return { ms: performance.now() - started, status: response.status, retryAfter: response.headers.get("retry-after"), body };
  };
  const hold = (partnersMs: number, ledgerMs: number) => {
    partnersProxy.holdMs = partnersMs;
    ledgerProxy.holdMs = ledgerMs;
    partnersProxy.calls = ledgerProxy.calls = 0;
  };

  it("two calls in sequence, 0.8 s each, with a 1 s deadline: the second is cut at the deadline", async () => {
    hold(800, 800);
    const answer = await ask();
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ partner: { name: "Deadline", terms: null } });
    expect(answer.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([[["partner", "terms"], "UPSTREAM_UNAVAILABLE"]]);
    expect(answer.ms).toBeGreaterThanOrEqual(950);
    expect(answer.ms).toBeLessThan(1_550);
    expect([partnersProxy.calls, ledgerProxy.calls]).toEqual([1, 1]);
  });

  it("two calls within the deadline (0.3 s each) are both answered", async () => {
    hold(300, 300);
    const answer = await ask();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { partner: { name: "Deadline", terms: { version: 1 } } } });
  });

  it("a first call past the deadline: no data, HTTP 503 with Retry-After, the second call never sent", async () => {
    hold(1_700, 0);
    const answer = await ask();
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe("1");
    expect(answer.body.data).toEqual({ partner: null });
    expect(answer.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([[["partner"], "UPSTREAM_UNAVAILABLE"]]);
    expect(answer.ms).toBeLessThan(1_550);
    expect(ledgerProxy.calls).toBe(0);
  });
});
