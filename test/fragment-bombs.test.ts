import { gatewayUrl } from "./support/gateway";

/** A document whose operation spreads F0, each Fi spreading F(i+1) twice: 2^n spreads once expanded, in a few hundred bytes. */
function fragmentBomb(n: number): string {
  let document = "query Bomb { ...F0 }\n";
  for (let i = 0; i < n; i++) document += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`;
  return document + `fragment F${n} on Query { partners { id } }\n`;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = Date.now();
  const value = await run();
  return { ms: Date.now() - start, value };
}

/**
 * Fragments that each spread the next one twice: 2^n fields once expanded, in a few hundred bytes
 * (outside review). The depth limit measured every spread anew (2^n steps on the gateway's one
 * thread: 22 fragments held it 12 s, 30 would hold it hours, /health unanswered), and past 10,000
 * fields the cost limit's library gave up with an error answered 500 INTERNAL_SERVER_ERROR.
 */
describe("fragment bombs", () => {
  it("a fragment bomb (a few hundred bytes) is refused at once and does not block the gateway", async () => {
    const health = new URL("/health", gatewayUrl());
    const bomb = fetch(gatewayUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: fragmentBomb(24) }) })
      .then(async (response) => ({ status: response.status, body: await response.text() }))
      .catch((error) => ({ status: 0, body: String(error) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Liveness while the bomb is being checked: one process is one thread (24 fragments held it about a minute before).
    const alive = await timed(() => fetch(health, { signal: AbortSignal.timeout(20_000) }).then((r) => r.status));
    expect({ healthAnsweredWithin5s: alive.ms < 5_000, ms: alive.ms }).toEqual({ healthAnsweredWithin5s: true, ms: expect.any(Number) });
    const answered = await timed(() => bomb);
    expect({ refused: answered.value.status >= 400, within5s: answered.ms < 5_000 }).toEqual({ refused: true, within5s: true });
    // 2^40 spreads: hours of one thread before.
    const huge = await timed(() => fetch(gatewayUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: fragmentBomb(40) }), signal: AbortSignal.timeout(10_000) }));
    expect({ refused: huge.value.status >= 400, within5s: huge.ms < 5_000 }).toEqual({ refused: true, within5s: true });
  }, 120_000);

  it("a query past graphql-query-complexity's node limit is a query-limit refusal (400), not a 500 INTERNAL_SERVER_ERROR", async () => {
    const response = await fetch(gatewayUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: fragmentBomb(14) }) });
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect({ status: response.status, codes: body.errors?.map((e) => e.extensions?.code) }).toEqual({ status: 400, codes: [expect.stringMatching(/^QUERY_TOO_(COSTLY|DEEP)$/)] });
  }, 60_000);
});
