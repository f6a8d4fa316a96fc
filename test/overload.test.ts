import { PROOF_HEADER, signProof } from "../shared/src/auth/proof";
import { CONTROL_LANE, CONTROL_LANE_HEADER } from "../shared/src/overload";
import { useDedicatedStack } from "./support/dedicated-stack";

/**
 * Load shedding (issue 20, item 1): a gateway allowed 2 requests in flight and 2 queued answers a
 * burst of 40 with some 503 OVERLOADED (Retry-After, the code, counted in /metrics) and the rest
 * served; a subgraph allowed 1 request and no queue refuses the rest at once, which the gateway
 * answers as a retryable UPSTREAM_UNAVAILABLE (503 when nothing else could be answered).
 */
describe("load shedding", () => {
  const dedicated = useDedicatedStack("overload", {
    GATEWAY_MAX_IN_FLIGHT: "2",
    GATEWAY_QUEUE: "2",
    GATEWAY_QUEUE_TIMEOUT_MS: "2000",
    SUBGRAPH_MAX_IN_FLIGHT: "256",
    RATE_LIMIT_PER_MINUTE: "100000",
  });
  const QUERY = `query Partners { partners { id slug name rewards { id title } } }`;

  const burst = (count: number) =>
    Promise.all(
      Array.from({ length: count }, async () => {
        const response = await fetch(dedicated.stack.gatewayUrl, {
          method: "POST",
          headers: { "content-type": "application/json", ...dedicated.admin() },
          body: JSON.stringify({ query: QUERY }),
        });
        const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
        return { status: response.status, retryAfter: response.headers.get("retry-after"), codes: (body.errors ?? []).map((e) => e.extensions?.code), data: body.data };
      }),
    );

  const metric = async (service: "gateway" | "partners", name: string) => {
    const url = new URL(dedicated.stack.services[service].url);
    url.pathname = "/metrics";
    const text = await (await fetch(url)).text();
    return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, "gm"))].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  it("a burst past the gateway's limit: some 503 OVERLOADED with Retry-After, the rest answered, the shed ones counted", async () => {
    const before = await metric("gateway", "coalition_requests_shed_total");
    const answers = await burst(40);
    const shed = answers.filter((a) => a.status === 503);
    const served = answers.filter((a) => a.status === 200);
    expect(shed.length + served.length).toBe(40);
    expect(shed.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThanOrEqual(4); // 2 in flight + 2 queued at least
    for (const answer of shed) expect(answer).toMatchObject({ retryAfter: "1", codes: ["OVERLOADED"] });
    for (const answer of served) expect(answer.codes).toEqual([]);
    expect((await metric("gateway", "coalition_requests_shed_total")) - before).toBe(shed.length);
    // Once the burst is over, a request is served.
    expect((await burst(1))[0]).toMatchObject({ status: 200, codes: [] });
  }, 30_000);

  it("a subgraph sheds what it cannot take: the gateway answers UPSTREAM_UNAVAILABLE, retryable, and the subgraph counts it", async () => {
    await dedicated.stack.restart("gateway", { GATEWAY_MAX_IN_FLIGHT: "100", GATEWAY_QUEUE: "100" });
    await dedicated.stack.restart("partners", { SUBGRAPH_MAX_IN_FLIGHT: "1", SUBGRAPH_QUEUE: "0" });
    const answers = await burst(30);
    const refused = answers.filter((a) => a.codes.length);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer).toMatchObject({ status: 503, retryAfter: "1", codes: ["UPSTREAM_UNAVAILABLE"] });
    expect(answers.filter((a) => a.status === 200 && !a.codes.length).length).toBeGreaterThan(0);
    expect(await metric("partners", "coalition_requests_shed_total")).toBe(refused.length);
  }, 60_000);

  it("a subgraph whose database pool has too many queries waiting refuses at once (reason pool_full)", async () => {
    await dedicated.stack.restart("partners", { SUBGRAPH_MAX_IN_FLIGHT: "1000", DB_POOL_SIZE: "1", DB_POOL_MAX_WAITING: "1" });
    const shedOf = async () => {
      const url = new URL(dedicated.stack.services.partners.url);
      url.pathname = "/metrics";
      return Number(/coalition_requests_shed_total\{reason="pool_full"\} (\d+)/.exec(await (await fetch(url)).text())?.[1] ?? 0);
    };
    // Bursts until one finds the pool full: on a machine busy with other tests, 40 requests may reach it spread out.
    const refused: Awaited<ReturnType<typeof burst>> = [];
    for (let attempt = 0; attempt < 5 && !refused.length; attempt++) refused.push(...(await burst(40)).filter((a) => a.codes.length));
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer).toMatchObject({ status: 503, codes: ["UPSTREAM_UNAVAILABLE"] });
    expect(await shedOf()).toBe(refused.length);
  }, 60_000);

  it("the gateway's erasure-feed reads pass a members service that sheds everything else (the control lane)", async () => {
    await dedicated.stack.restart("members", { SUBGRAPH_MAX_IN_FLIGHT: "1", SUBGRAPH_QUEUE: "0" });
    const asGateway = signProof({ kind: "service", service: "gateway" }, "service", dedicated.stack.env.SERVICE_SECRET!, "members");
    const read = async (lane: boolean) => {
      const response = await fetch(dedicated.stack.services.members.url, {
        method: "POST",
        headers: { "content-type": "application/json", [PROOF_HEADER]: asGateway, ...(lane ? { [CONTROL_LANE_HEADER]: CONTROL_LANE } : {}) },
        body: JSON.stringify({ query: `query ErasureFeed($after: String) { erasureFeed(after: $after) { complete } }`, variables: { after: null } }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      return { status: response.status, code: body.errors?.[0]?.extensions?.code, data: body.data };
    };
    // A burst of ordinary reads against one slot and no queue, and the gateway's control reads among them (the lane's
    // rules, a client's claim of it and its limit of 8, are tested deterministically in test/unit/admission-control-lane.test.ts).
    const [ordinaryAnswers, controlAnswers] = await Promise.all([Promise.all(Array.from({ length: 30 }, () => read(false))), Promise.all(Array.from({ length: 4 }, () => read(true)))]);
    expect(ordinaryAnswers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    for (const answer of ordinaryAnswers) if (answer.status === 503) expect(answer.code).toBe("OVERLOADED");
    expect(controlAnswers).toEqual(Array.from({ length: 4 }, () => ({ status: 200, code: undefined, data: { erasureFeed: { complete: true } } })));
  }, 60_000);
});
