import { enrollMember, registerPartner } from "./support/fixtures";
import { ok } from "./support/gateway";
import { expectLedgerConsistent, ledgerTool, travel } from "./support/ledger";
import { availableAndPending, createCampaign, purchaseWithBonuses } from "./support/campaigns";

/** Bonus points live like the points of their purchase: pending through its return window, expiring with it. */
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe("campaign bonuses over time", () => {
  afterEach(async () => {
    await travel(0);
    await expectLedgerConsistent();
  });

  it("a bonus is pending as long as its purchase, then spendable with it", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 7 });
    const member = await enrollMember();
    await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 40 });
    expect((await purchaseWithBonuses(partner, member.id, 1_000)).bonuses.map((b) => b.points)).toEqual([40]);
    expect(await availableAndPending(member.id)).toEqual({ available: 0, pending: 50 });
    await travel(6);
    expect(await availableAndPending(member.id)).toEqual({ available: 0, pending: 50 });
    await travel(8);
    expect(await availableAndPending(member.id)).toEqual({ available: 50, pending: 0 });
  });

  it("a bonus expires with its purchase's points, 24 months after the purchase", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 40, startsAt: daysAgo(301), endsAt: new Date(Date.now() + 60 * DAY).toISOString() });
    // A late purchase made 300 days ago, inside the campaign's window: 10 points and a 40-point bonus.
    expect((await purchaseWithBonuses(partner, member.id, 1_000, { occurredAt: daysAgo(300) })).bonuses.map((b) => b.points)).toEqual([40]);
    await travel(730 - 300 - 5);
    expect((await availableAndPending(member.id)).available).toBe(50);
    const afterExpiry = await travel(730 - 300 + 5);
    expect((await availableAndPending(member.id)).available).toBe(0);
    expect(await ledgerTool("expire", ["--now", afterExpiry.toISOString()])).toMatchObject({ code: 0 });
    const { member: history } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 10) { edges { node { kind points } } } } }`, { id: member.id });
    expect(history.activity.edges.filter((e: any) => e.node.kind === "EXPIRY").map((e: any) => e.node.points).sort((a: number, b: number) => a - b)).toEqual([-40, -10]);
  });
});
