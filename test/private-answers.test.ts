import { randomUUID } from "node:crypto";
import { createReward, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asAdmin, asMember, gatewayUrl, gql, ok, operationsServed } from "./support/gateway";

/**
 * The gateway keeps an answer a subgraph marked `private, max-age` for its caller alone (README, Entity
 * cache): today a member's own existence check, `member(id)` with `id` alone, the members service's
 * part of nearly every page of a member's app. Counted in the operations the members service served
 * (the gateway names its call to a subgraph after the client's operation): a kept answer costs it none.
 */
describe("private answers kept for their caller", () => {
  const EXISTS = `query Exists($id: ID!) { member(id: $id) { id } }`;
  /** The members service's operations of `run`'s requests (each named `name`). */
  const membersCalls = async (name: string, run: () => Promise<unknown>) => {
    const before = await operationsServed("members", `${name}__members__0`);
    await run();
    return (await operationsServed("members", `${name}__members__0`)) - before;
  };

  it("a member's own existence check is asked once, then answered by the gateway, marked private for the member's own cache", async () => {
    const member = await enrollMember();
    expect(await membersCalls("Exists", async () => expect(await ok(EXISTS, { id: member.id }, asMember(member.id))).toEqual({ member: { id: member.id } }))).toBeGreaterThan(0);
    expect(await membersCalls("Exists", async () => expect(await ok(EXISTS, { id: member.id }, asMember(member.id))).toEqual({ member: { id: member.id } }))).toBe(0);
    // From the gateway's copy, as from the subgraph: the client may keep it, for itself only, for the time left (600 s at most).
    const response = await fetch(gatewayUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", ...asMember(member.id) },
      body: JSON.stringify({ query: EXISTS, variables: { id: member.id } }),
    });
    const [, maxAge] = /^max-age=(\d+), private$/.exec(response.headers.get("cache-control") ?? "") ?? [];
    expect(Number(maxAge)).toBeGreaterThan(500);
    expect(Number(maxAge)).toBeLessThanOrEqual(600);
    // The member's alone: a cache keyed by URL (a GET query's is everyone's) must key it by the credentials too,
    // a browser's page origin included (CORS's Vary joins it, never replaces it).
    expect(response.headers.get("vary")).toBe("Origin, Authorization, X-Api-Key");
    const fromPage = await fetch(gatewayUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://app.example.test", ...asMember(member.id) },
      body: JSON.stringify({ query: EXISTS, variables: { id: member.id } }),
    });
    expect(fromPage.headers.get("vary")).toBe("Origin, Authorization, X-Api-Key");
  });

  it("a GET query answered privately says so as a POST does: Cache-Control private and Vary on the credentials, a page's origin too", async () => {
    // A GET query's URL is the same for every caller: this is what keeps a browser's or a proxy's cache from handing it to the next.
    const member = await enrollMember();
    const url = `${gatewayUrl()}?query=${encodeURIComponent(EXISTS)}&variables=${encodeURIComponent(JSON.stringify({ id: member.id }))}`;
    // Twice: asked of the members service, then answered from the gateway's copy.
    for (let i = 0; i < 2; i++) {
      for (const origin of [{}, { origin: "https://app.example.test" }] as Record<string, string>[]) {
        const response = await fetch(url, { headers: { ...asMember(member.id), "apollo-require-preflight": "true", ...origin } });
        expect(await response.json()).toEqual({ data: { member: { id: member.id } } });
        expect(response.headers.get("cache-control")).toMatch(/^max-age=\d+, private$/);
        expect(response.headers.get("vary")).toBe("Origin, Authorization, X-Api-Key");
      }
    }
  });

  it("the headline page's call to the members service is made once per member, and the page is whole each time", async () => {
    const partner = await registerPartner();
    await createReward(partner.id, { costPoints: 5 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 1_000);
    const PAGE = `query Page($id: ID!) { member(id: $id) { balance { available pending } tier eligibleRewards(first: 5) { costPoints } } }`;
    let first: any;
    expect(await membersCalls("Page", async () => (first = await ok(PAGE, { id: member.id }, asMember(member.id))))).toBeGreaterThan(0);
    await recordPurchase(partner, member.id, 2_000);
    let second: any;
    expect(await membersCalls("Page", async () => (second = await ok(PAGE, { id: member.id }, asMember(member.id))))).toBe(0);
    // Rewards of every partner are eligible (other suites' too, on a shared stack): only that the catalog answered is checked.
    expect(first).toMatchObject({ member: { balance: { available: 10, pending: 0 }, tier: "BASE" } });
    expect(first.member.eligibleRewards.length).toBeGreaterThan(0);
    expect(first.member.eligibleRewards.every((reward: { costPoints: number }) => reward.costPoints <= 10)).toBe(true);
    // The ledger's part is never kept: the second purchase shows.
    expect(second.member.balance).toEqual({ available: 30, pending: 0 });
  });

  it("nothing else is kept: other fields, an admin's read, another member's token, a member not enrolled, `Cache-Control: no-cache`", async () => {
    const member = await enrollMember();
    const other = await enrollMember();
    const NAMED = `query Named($id: ID!) { member(id: $id) { id displayName } }`;
    for (let i = 0; i < 2; i++) expect(await membersCalls("Named", () => ok(NAMED, { id: member.id }, asMember(member.id)))).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) expect(await membersCalls("Exists", () => ok(EXISTS, { id: member.id }, asAdmin()))).toBeGreaterThan(0);
    // The member's own answer is theirs alone: another member asking for it is refused every time, by the members service.
    await ok(EXISTS, { id: member.id }, asMember(member.id));
    for (let i = 0; i < 2; i++) {
      const refused = await gql(EXISTS, { id: member.id }, asMember(other.id));
      expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    }
    // A token for an id no member has reads null, asked each time (the member may enrol in a moment).
    const nobody = randomUUID();
    for (let i = 0; i < 2; i++) expect(await membersCalls("Exists", async () => expect(await ok(EXISTS, { id: nobody }, asMember(nobody))).toEqual({ member: null }))).toBeGreaterThan(0);
    const fresh = { ...asMember(member.id), "cache-control": "no-cache" };
    expect(await membersCalls("Exists", () => ok(EXISTS, { id: member.id }, fresh))).toBeGreaterThan(0);
  });

  it("every request that asks for a fresh answer bypasses the member's kept answer: no-cache, no-store, max-age=0, or Pragma: no-cache alone", async () => {
    const member = await enrollMember();
    await ok(EXISTS, { id: member.id }, asMember(member.id));
    expect(await membersCalls("Exists", () => ok(EXISTS, { id: member.id }, asMember(member.id)))).toBe(0);
    for (const fresh of [{ "cache-control": "no-store" }, { "cache-control": "max-age=0" }, { "cache-control": "No-Cache" }, { pragma: "no-cache" }] as Record<string, string>[]) {
      expect(await membersCalls("Exists", () => ok(EXISTS, { id: member.id }, { ...asMember(member.id), ...fresh }))).toBeGreaterThan(0);
    }
    // Pragma is HTTP/1.0's: beside a Cache-Control that asks for nothing fresh, it is not read (RFC 9111 5.4).
    expect(await membersCalls("Exists", () => ok(EXISTS, { id: member.id }, { ...asMember(member.id), pragma: "no-cache", "cache-control": "max-age=60" }))).toBe(0);
  });

  it("a member's existence check padded by the client is asked every time: no private answer over PRIVATE_MAX_ENTRY_CHARS is kept", async () => {
    // An alias (or an operation name) is passed on to the members service and echoed in its answer: without a bound
    // of their own, any member could make each of the 20,000 entries 4,096 characters (80 MB a process), not the ~300
    // of an existence check, and the same padded entries push everyone else's out.
    const member = await enrollMember();
    const alias = `a${"x".repeat(1_500)}`;
    const PADDED = `query Padded($id: ID!) { ${alias}: member(id: $id) { id } }`;
    for (let i = 0; i < 2; i++) {
      expect(await membersCalls("Padded", async () => expect((await ok(PADDED, { id: member.id }, asMember(member.id)))[alias]).toEqual({ id: member.id }))).toBeGreaterThan(0);
    }
  });

  it("one member keeps at most PRIVATE_MAX_ENTRIES_PER_CALLER answers at a time: beyond them they are asked each time, the first ones still kept", async () => {
    // Each operation name is an entry of its own: without a bound per caller, four members' tokens at the rate limit
    // (600 a minute) replaced all 20,000 in ten minutes, and every other member's existence check with them.
    const member = await enrollMember();
    const flood = (i: number) => `query Flood${i}($id: ID!) { member(id: $id) { id } }`;
    for (let i = 0; i < 64; i++) await ok(flood(i), { id: member.id }, asMember(member.id));
    for (let i = 0; i < 2; i++) expect(await membersCalls("Flood64", () => ok(flood(64), { id: member.id }, asMember(member.id)))).toBeGreaterThan(0);
    expect(await membersCalls("Flood0", () => ok(flood(0), { id: member.id }, asMember(member.id)))).toBe(0);
    expect(await membersCalls("Flood63", () => ok(flood(63), { id: member.id }, asMember(member.id)))).toBe(0);
    // Another member's own are theirs to keep.
    const other = await enrollMember();
    await ok(EXISTS, { id: other.id }, asMember(other.id));
    expect(await membersCalls("Exists", () => ok(EXISTS, { id: other.id }, asMember(other.id)))).toBe(0);
  });

  it("the same answer asked for twice at once is one of the caller's share, not two", async () => {
    // Two tabs opening the same pages: both calls miss and both write the same entry.
    const member = await enrollMember();
    const page = (i: number) => `query Tab${i}($id: ID!) { member(id: $id) { id } }`;
    for (let i = 0; i < 40; i++) await Promise.all([0, 1].map(() => ok(page(i), { id: member.id }, asMember(member.id))));
    for (const i of [0, 39]) expect(await membersCalls(`Tab${i}`, () => ok(page(i), { id: member.id }, asMember(member.id)))).toBe(0);
  });

  it("an erased member's token is refused before anything kept for them is read", async () => {
    const member = await enrollMember();
    await ok(EXISTS, { id: member.id }, asMember(member.id));
    expect((await ok(`mutation($id: ID!) { eraseMember(id: $id) }`, { id: member.id })).eraseMember).toBe(true);
    const after = await gql(EXISTS, { id: member.id }, asMember(member.id));
    expect(after.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });
});
