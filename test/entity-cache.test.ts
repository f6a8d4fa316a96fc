import { join } from "node:path";
import { REPO_ROOT } from "../shared/src/config";
import { requestGraphQL } from "../tools/stack/graphql-client";
import { forkService, freePort, stopChild } from "../tools/stack/services";
import { createReward, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { anonymous, asMember, ok, sqlStatements } from "./support/gateway";

/**
 * The gateway keeps public partner entities (the partners subgraph marks them `public, max-age`) and
 * answers `_entities` calls from them; entities without a public hint are fetched every time.
 */
describe("gateway entity cache", () => {
  const PUBLIC = `query($id: ID!) { member(id: $id) { balance { byPartner { partner { name category } earned } } } }`;

  async function partnersStatements(run: () => Promise<unknown>): Promise<number> {
    const before = await sqlStatements("partners");
    await run();
    return (await sqlStatements("partners")) - before;
  }

  it("answers public partner fields from the cache after the first call, and fresh on `Cache-Control: no-cache`", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 1_000);

    let first: any;
    expect(await partnersStatements(async () => (first = await ok(PUBLIC, { id: member.id }, asMember(member.id))))).toBeGreaterThan(0);
    let second: any;
    expect(await partnersStatements(async () => (second = await ok(PUBLIC, { id: member.id }, asMember(member.id))))).toBe(0);
    expect(second).toEqual(first);
    expect(first.member.balance.byPartner).toEqual([{ partner: { name: "Test Brand", category: "RETAIL" }, earned: 10 }]);
    const noCache = { ...asMember(member.id), "cache-control": "no-cache" };
    expect(await partnersStatements(() => ok(PUBLIC, { id: member.id }, noCache))).toBeGreaterThan(0);
    // Any request asking for a fresh answer, as HTTP has them (gateway/src/cache-control.ts wantsFreshAnswer).
    for (const fresh of [{ "cache-control": "no-store" }, { "cache-control": "max-age=0" }, { pragma: "no-cache" }] as Record<string, string>[]) {
      expect(await partnersStatements(() => ok(PUBLIC, { id: member.id }, { ...asMember(member.id), ...fresh }))).toBeGreaterThan(0);
    }
    expect(await partnersStatements(() => ok(PUBLIC, { id: member.id }, { ...asMember(member.id), "cache-control": "max-age=60" }))).toBe(0);
  });

  it("never keeps entities without a public hint: a member's balance comes from the ledger every time", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 1_000);
    const ledgerStatements = async () => {
      const before = await sqlStatements("ledger");
      await ok(PUBLIC, { id: member.id }, asMember(member.id));
      return (await sqlStatements("ledger")) - before;
    };
    const first = await ledgerStatements();
    expect(first).toBeGreaterThan(0);
    expect(await ledgerStatements()).toBe(first);
    await recordPurchase(partner, member.id, 2_000);
    const { member: after } = await ok(PUBLIC, { id: member.id }, asMember(member.id));
    expect(after.balance.byPartner[0].earned).toBe(30);
  });

  describe("cannot be poisoned by one caller for the others", () => {
    // The partner of a reward comes from the partners subgraph (`_entities`, public): anyone may ask.
    // `@include(if: $full)` inside the entity's selection is sent to the subgraph as a variable.
    const REWARDS = `query($partnerId: ID!, $full: Boolean!) { rewards(partnerId: $partnerId) { partner { name category @include(if: $full) } } }`;
    const catalogOf = async (overrides: Record<string, unknown> = {}) => {
      const partner = await registerPartner({ name: "Poison Brand", ...overrides });
      await createReward(partner.id);
      return partner;
    };
    const full = { rewards: [{ partner: { name: "Poison Brand", category: "RETAIL" } }] };

    it("a fetch's other variables are part of the key: an answer without a field is never served to a caller who asked for it", async () => {
      const partner = await catalogOf();
      // The attacker fills the cache first, with the field left out...
      expect(await ok(REWARDS, { partnerId: partner.id, full: false }, anonymous)).toEqual({ rewards: [{ partner: { name: "Poison Brand" } }] });
      // ...and the next caller still gets the whole answer (then from the cache).
      expect(await ok(REWARDS, { partnerId: partner.id, full: true })).toEqual(full);
      expect(await partnersStatements(async () => expect(await ok(REWARDS, { partnerId: partner.id, full: true })).toEqual(full))).toBe(0);
    });

    it("`Cache-Control: no-cache` fetches fresh for its caller only: it never writes what the others are served", async () => {
      const partner = await catalogOf();
      await ok(REWARDS, { partnerId: partner.id, full: true });
      const noCache = { "cache-control": "no-cache" };
      expect(await ok(REWARDS, { partnerId: partner.id, full: false }, noCache)).toEqual({ rewards: [{ partner: { name: "Poison Brand" } }] });
      expect(await partnersStatements(async () => expect(await ok(REWARDS, { partnerId: partner.id, full: true })).toEqual(full))).toBe(0);

      // A no-cache answer does not fill the cache either: the next ordinary call goes to the subgraph.
      const other = await catalogOf();
      await ok(REWARDS, { partnerId: other.id, full: true }, noCache);
      expect(await partnersStatements(async () => expect(await ok(REWARDS, { partnerId: other.id, full: true })).toEqual(full))).toBeGreaterThan(0);
    });
  });

  it("is off in a gateway started with DISABLE_ENTITY_CACHE=1 (the bench's pairing without it): every call asks the subgraph", async () => {
    const env = {
      ...process.env,
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      GATEWAY_PORT: String(await freePort()),
      DISABLE_ENTITY_CACHE: "1",
      GATEWAY_SECRET: process.env.TEST_GATEWAY_SECRET,
      SERVICE_SECRET: process.env.TEST_SERVICE_SECRET,
      JWT_SECRET: process.env.TEST_JWT_SECRET,
      MEMBERS_URL: process.env.TEST_MEMBERS_URL,
      PARTNERS_URL: process.env.TEST_PARTNERS_URL,
      CATALOG_URL: process.env.TEST_CATALOG_URL,
      LEDGER_URL: process.env.TEST_LEDGER_URL,
    };
    const uncached = await forkService("gateway-no-cache", join(REPO_ROOT, "dist", "gateway", "src", "main.js"), env, null);
    try {
      const partner = await registerPartner();
      const member = await enrollMember();
      await recordPurchase(partner, member.id, 1_000);
      const ask = async () => expect(await requestGraphQL(uncached.url, PUBLIC, { id: member.id }, asMember(member.id))).toEqual({ member: { balance: { byPartner: [{ partner: { name: "Test Brand", category: "RETAIL" }, earned: 10 }] } } });
      expect(await partnersStatements(ask)).toBeGreaterThan(0);
      expect(await partnersStatements(ask)).toBeGreaterThan(0);
    } finally {
      await stopChild(uncached.child);
    }
  });
});
