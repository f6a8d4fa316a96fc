import { ledgerClient, travelTo } from "./support/clearing";
import { enrollMember, recordPurchase, registerPartner, type PartnerFixture } from "./support/fixtures";
import { asAdmin, asMember, asPartnerApp, fails, ok, operationsServed, sqlStatements, unique } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";

const FIELDS = `from to linkedMembers activeMembers tiers { tier members } averageBalance alsoEarnsAt { category members }`;
const INSIGHTS = `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
  partner(id: $id) { insights(from: $from, to: $to) { ${FIELDS} } }
}`;
const LINK = `mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { status } }`;

// Insights count a purchase in the month the ledger recorded it in, so the purchases are recorded with
// the ledger's clock moved to the months they belong to: 30 months ahead of the real date (the clearing
// house's suite closes months ten years away), then read as if it were the month after them. Whole UTC
// months that are over by then: the last one (M1) and the one before (M2).
const real = new Date();
const AHEAD = 30;
const monthStart = (back: number) => new Date(Date.UTC(real.getUTCFullYear(), real.getUTCMonth() + AHEAD - back, 1));
const M1 = { from: monthStart(1).toISOString(), to: monthStart(0).toISOString() };
const M2 = { from: monthStart(2).toISOString(), to: monthStart(1).toISOString() };
const inMonth = (back: number, day: number) => new Date(monthStart(back).getTime() + (day - 1) * 86_400_000 + 3_600_000);

async function inChunks<T>(items: T[], run: (item: T, index: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 10) await Promise.all(items.slice(i, i + 10).map((item, j) => run(item, i + j)));
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("Partner.insights", () => {
  let fuel: PartnerFixture;
  let grocer: PartnerFixture;
  let appKey: string;
  let members: { id: string }[];
  const insightsOf = async (partnerId: string, period: { from: string; to: string }, caller = asPartnerApp(appKey)) =>
    (await ok(INSIGHTS, { id: partnerId, ...period }, caller)).partner.insights;
  const category = (insights: any, name: string) => insights.alsoEarnsAt.find((c: { category: string }) => c.category === name);

  beforeAll(async () => {
    fuel = await registerPartner({ category: "FUEL", pointsPerUnit: 1 });
    grocer = await registerPartner({ category: "GROCERY", pointsPerUnit: 1 });
    const hotel = await registerPartner({ category: "HOTEL", pointsPerUnit: 1 });
    const airline = await registerPartner({ category: "AIRLINE", pointsPerUnit: 1 });
    const secondGrocer = await registerPartner({ category: "GROCERY", pointsPerUnit: 1 });
    const cafe = await registerPartner({ category: "DINING", pointsPerUnit: 1 });
    const secondCafe = await registerPartner({ category: "DINING", pointsPerUnit: 1 });
    appKey = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: fuel.id })).issuePartnerApiKey.key;
    // 40 members linked to the fuel brand (ACTIVE: an admin links them), 2 more whose link the app made and nobody approved (PENDING).
    members = [];
    await inChunks(range(0, 42), async (_, i) => {
      const member = await enrollMember();
      members[i] = member;
      await ok(LINK, { input: { memberId: member.id, partnerId: fuel.id, externalId: unique("card") } }, i < 40 ? undefined : asPartnerApp(appKey));
    });
    const buy = (partner: PartnerFixture, amountMinor: number) => (i: number) => recordPurchase(partner, members[i].id, amountMinor);
    // The month before last: members 28–39 earn 6,000 base points each at the grocer: SILVER.
    await travelTo(inMonth(2, 5));
    await inChunks(range(28, 40), buy(grocer, 600_000));
    // Last month: the fuel brand records a receipt (100 points) for every member linked to it, the two pending
    // ones too (its own sales, which it could make up: they count in no figure); members 0–9 buy groceries at
    // one grocer and 10–19 at another, 0–24 a hotel night, 0–2 a flight, 0–11 and 25–29 a coffee at a café, and 0–1
    // one at another café too (100 points each).
    await travelTo(inMonth(1, 5));
    await inChunks(range(0, 42), buy(fuel, 10_000));
    await inChunks(range(0, 10), buy(grocer, 10_000));
    await inChunks(range(0, 25), buy(hotel, 10_000));
    await inChunks(range(0, 3), buy(airline, 10_000));
    await inChunks(range(10, 20), buy(secondGrocer, 10_000));
    await inChunks([...range(0, 12), ...range(25, 30)], buy(cafe, 10_000));
    await inChunks(range(0, 2), buy(secondCafe, 10_000));
    await travelTo(inMonth(0, 2));
  }, 120_000);

  afterAll(async () => {
    await travel(0);
    await expectLedgerConsistent();
  });

  it("shows what no one can be singled out by, and hides the rest", async () => {
    const insights = await insightsOf(fuel.id, M1);
    expect(insights).toMatchObject({
      from: M1.from,
      to: M1.to,
      linkedMembers: 40, // the pending links do not count
      // Active at other partners: 0–29 (0–24 the hotel, some the grocers and the airline too, 25–29 the café); 10 were not:
      // both sides reach 10. Counting the fuel brand's own receipts, all 40 would be active and the figure hidden (0 inactive).
      activeMembers: 30,
      tiers: [
        { tier: "BASE", members: 28 },
        // 12 SILVER reach 10, but GOLD + PLATINUM (0) would then be 40 − 28 − 12: SILVER is hidden with them.
        { tier: "SILVER", members: null },
        { tier: "GOLD", members: null },
        { tier: "PLATINUM", members: null },
      ],
      // Fuel: 28 × 100 (members 0–27) + 12 × 125 (28–39, SILVER by then: 125%), the grocers 10 × 100 each, hotel 25 × 100,
      // airline 3 × 100, café 15 × 100 (0–11, 25–27) + 2 × 125 (28–29, SILVER), second café 2 × 100, the month before 12 × 6,000:
      // (2,800 + 1,500 + 1,000 + 1,000 + 2,500 + 300 + 1,500 + 250 + 200 + 72,000) / 40 = 83,050 / 40 = 2,076.25, rounded down
      averageBalance: 2_076,
    });
    // 20 bought groceries: 20 linked and 10 active did not, and 10 of them not at the busier grocer (each sold to 10): shown.
    expect(category(insights, "GROCERY").members).toBe(20);
    // 17 bought coffee (23 linked and 13 active did not), at two cafés, but all 17 at the first: 17 would be that café's count. Hidden.
    expect(category(insights, "DINING").members).toBeNull();
    // 25 of the 30 active: "active − hotel" would count 5 members, so it is hidden.
    expect(category(insights, "HOTEL").members).toBeNull();
    expect(category(insights, "AIRLINE").members).toBeNull(); // 3
    // No other fuel brand sold to them (another test's fuel brand, if any, counts 0: hidden).
    expect(category(insights, "FUEL")?.members ?? null).toBeNull();
  });

  it("a differencing attempt finds nothing: periods cannot overlap, nest or run on, and two months are disjoint", async () => {
    // The half month that would, subtracted from the whole, isolate a few days' shoppers:
    const half = new Date(monthStart(1).getTime() + 15 * 86_400_000).toISOString();
    expect((await fails(INSIGHTS, { id: fuel.id, from: half, to: M1.to }, "BAD_USER_INPUT", asPartnerApp(appKey))).extensions?.field).toBe("from");
    expect((await fails(INSIGHTS, { id: fuel.id, from: M1.from, to: half }, "BAD_USER_INPUT", asPartnerApp(appKey))).extensions?.field).toBe("to");
    // Two months at once (which would contain M1):
    expect((await fails(INSIGHTS, { id: fuel.id, from: M2.from, to: M1.to }, "BAD_USER_INPUT", asPartnerApp(appKey))).extensions?.field).toBe("to");
    // The month still running (today's figure less yesterday's):
    expect((await fails(INSIGHTS, { id: fuel.id, from: M1.to, to: monthStart(-1).toISOString() }, "BAD_USER_INPUT", asPartnerApp(appKey))).extensions?.field).toBe("to");
    // The month before: the 12 SILVER members were active (28 were not), all of them at the grocer: "active −
    // grocery" would count 0, so GROCERY is hidden, and nobody earned in another category.
    const before = await insightsOf(fuel.id, M2);
    expect(before.activeMembers).toBe(12);
    expect(before.alsoEarnsAt.every((c: { members: number | null }) => c.members === null)).toBe(true);
    // Every difference of a shown figure and a shown figure it is part of counts at least 10 members:
    // linked − active (10), linked − BASE (12), linked − GROCERY (20), active − GROCERY (10), and in M2 linked − active (28).
    const last = await insightsOf(fuel.id, M1);
    const nested = [
      [last.linkedMembers, last.activeMembers],
      [last.linkedMembers, last.tiers[0].members],
      [last.linkedMembers, category(last, "GROCERY").members],
      [last.activeMembers, category(last, "GROCERY").members],
      [before.linkedMembers, before.activeMembers],
    ];
    for (const [whole, part] of nested) expect(whole - part).toBeGreaterThanOrEqual(10);
  });

  it("a month that is over does not change: a late receipt dated then counts in the month it is recorded in, so it tells nothing of one member", async () => {
    const before = await insightsOf(fuel.id, M1);
    // The grocer records a one-cent receipt (0 points) dated last month for member 30, who bought nowhere but at the
    // fuel brand last month: counted in last month, it would move the fuel brand's activeMembers from 30 to 31.
    const late = inMonth(1, 20).toISOString();
    const { recordPurchase: entry } = await ok(
      `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points occurredAt } }`,
      { input: { partnerId: grocer.id, memberId: members[30].id, amountMinor: 1, currency: grocer.currency, reference: unique("late"), occurredAt: late } },
    );
    expect({ points: entry.points, occurredAt: entry.occurredAt }).toEqual({ points: 0, occurredAt: late });
    expect(await insightsOf(fuel.id, M1)).toEqual(before);
    // It counts in the month running now (readable once it is over).
    const db = await ledgerClient();
    try {
      const { rows } = await db.query(`SELECT to_char(month, 'YYYY-MM-DD') AS month FROM member_earn_months WHERE member_id = $1 ORDER BY month`, [members[30].id]);
      // The grocer the month before last, the fuel brand last month, the late receipt this month.
      expect(rows.map((r) => r.month)).toEqual([M2.from.slice(0, 10), M1.from.slice(0, 10), M1.to.slice(0, 10)]);
    } finally {
      await db.end();
    }
  });

  it("answers the same to admins; refuses other partners and members; says nothing about fewer than 10 linked members", async () => {
    expect(await insightsOf(fuel.id, M1, undefined)).toEqual(await insightsOf(fuel.id, M1));
    const other = await registerPartner();
    const otherKey = (await ok(`mutation($id: ID!) { issuePartnerApiKey(partnerId: $id) { key } }`, { id: other.id })).issuePartnerApiKey.key;
    await fails(INSIGHTS, { id: fuel.id, ...M1 }, "FORBIDDEN", asPartnerApp(otherKey));
    await fails(INSIGHTS, { id: fuel.id, ...M1 }, "FORBIDDEN", asMember(members[0].id));
    // A brand with 9 linked members, all active: nothing at all.
    await inChunks(range(0, 9), (i) => ok(LINK, { input: { memberId: members[i].id, partnerId: other.id, externalId: unique("card") } }));
    const small = await insightsOf(other.id, M1, asPartnerApp(otherKey));
    expect(small).toMatchObject({ linkedMembers: null, activeMembers: null, averageBalance: null });
    expect([...small.tiers, ...small.alsoEarnsAt].every((x: { members: number | null }) => x.members === null)).toBe(true);
  });

  it("an admin's partner list: each partner its own figures, from one call to each other service and as many ledger statements as one partner's", async () => {
    // The grocer's population: members 0–19, linked by an admin (ACTIVE); 0–19 are in the fuel brand's too.
    await inChunks(range(0, 20), (i) => ok(LINK, { input: { memberId: members[i].id, partnerId: grocer.id, externalId: unique("card") } }));
    const admin = { ...asAdmin(), "cache-control": "no-cache" };
    const LIST = `query($from: DateTimeISO!, $to: DateTimeISO!) { partners { id insights(from: $from, to: $to) { ${FIELDS} } } }`;
    const calls = async () => [await operationsServed("members", "ActiveLinkedMembers"), await operationsServed("partners", "PartnerCategories")];
    const callsBefore = await calls();
    const { partners } = await ok(LIST, M1, admin);
    expect((await calls()).map((n, i) => n - callsBefore[i])).toEqual([1, 1]);
    expect(partners.length).toBeGreaterThan(7);
    const listed = new Map(partners.map((p: { id: string; insights: unknown }) => [p.id, p.insights]));
    // The fuel brand's figures (worked out in the first test), the grocer's population overlapping its own.
    expect(listed.get(fuel.id)).toEqual(await insightsOf(fuel.id, M1));
    expect(listed.get(fuel.id)).toMatchObject({ linkedMembers: 40, activeMembers: 30, averageBalance: 2_076 });
    // The grocer's: 20 linked, all of them active elsewhere (the fuel brand's receipts: 0 inactive, hidden). All BASE
    // (no other tier to hide them among: hidden). Their points: fuel 20 × 100, grocers 10 × 100 each, hotel 20 × 100,
    // airline 3 × 100, café 12 × 100, second café 2 × 100: 7,700 / 20 = 385. Every category hidden: fuel and hotel all 20
    // (0 did not), grocery 10 all at the second grocer (its busiest), airline 3, dining 12 (8 did not).
    const grocers = listed.get(grocer.id) as any;
    expect(grocers).toMatchObject({ from: M1.from, to: M1.to, linkedMembers: 20, activeMembers: null, averageBalance: 385 });
    expect([...grocers.tiers, ...grocers.alsoEarnsAt].every((x: { members: number | null }) => x.members === null)).toBe(true);
    // Ledger statements: the fewest of five reads (a sweep may fall into one), a list's the same as one partner's.
    const fewestLedgerStatements = async (query: string, variables: Record<string, unknown>) => {
      let fewest = Infinity;
      for (let i = 0; i < 5; i++) {
        const before = await sqlStatements("ledger");
        await ok(query, variables, admin);
        fewest = Math.min(fewest, (await sqlStatements("ledger")) - before);
      }
      return fewest;
    };
    const one = await fewestLedgerStatements(INSIGHTS, { id: fuel.id, ...M1 });
    expect(one).toBeGreaterThan(0);
    expect(await fewestLedgerStatements(LIST, M1)).toBe(one);
  });
});
