import { enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, ok, sqlStatements } from "./support/gateway";

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
});
