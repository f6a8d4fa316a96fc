import { enrollMember, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { availableAndPending, campaignById, createCampaign, endCampaign, hoursFromNow, offersOf, purchaseWithBonuses, recordPurchase } from "./support/campaigns";

/**
 * Each kind of campaign through the gateway, with numbers worked out by hand. Every partner earns
 * 1 point per unit (100 minor units), so a purchase of N × 100 minor units has N base points.
 */
const DAY = 86_400_000;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;

describe("campaigns", () => {
  afterEach(() => expectLedgerConsistent());

  it("a partner's percent campaign: floor(base × percent / 100), a BONUS entry charged to it, in activity and on the EARN entry", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 50 });
    expect(campaign).toMatchObject({ status: "ACTIVE", partners: [{ id: partner.id }], fundedBy: { id: partner.id }, pointsAwarded: 0 });
    const first = await purchaseWithBonuses(partner, member.id, 10_000); // 100 base → 50
    expect(first.points).toBe(100);
    expect(first.bonuses).toEqual([{ id: expect.any(String), kind: "BONUS", points: 50, partner: { id: partner.id }, campaign: { id: campaign.id, name: campaign.name } }]);
    const second = await purchaseWithBonuses(partner, member.id, 1_990); // 19 base → floor(9.5) = 9
    expect(second.bonuses.map((b) => b.points)).toEqual([9]);
    const { member: seen } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 10) { edges { node { kind points } } } balance { available } } }`, { id: member.id });
    expect(seen.activity.edges.map((e: any) => e.node)).toEqual([{ kind: "BONUS", points: 9 }, { kind: "EARN", points: 19 }, { kind: "BONUS", points: 50 }, { kind: "EARN", points: 100 }]);
    expect(seen.balance.available).toBe(178);
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ pointsAwarded: 59, membersRewarded: 1, budgetRemaining: null });
  });

  it("a welcome bonus pays on a member's first purchase at the partner only, not on the second", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const [member, other] = [await enrollMember(), await enrollMember()];
    await recordPurchase(partner, other.id, 100); // before the campaign: other's first purchase is already made
    await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 500, firstPurchaseAtPartner: true });
    expect((await purchaseWithBonuses(partner, member.id, 300)).bonuses.map((b) => b.points)).toEqual([500]);
    expect((await purchaseWithBonuses(partner, member.id, 300)).bonuses).toEqual([]);
    expect((await purchaseWithBonuses(partner, other.id, 300)).bonuses).toEqual([]);
  });

  it("category, minimum amount and minimum tier conditions", async () => {
    const tag = unique("cat");
    const cafe = await registerPartner({ pointsPerUnit: 1, category: "DINING" });
    const shop = await registerPartner({ pointsPerUnit: 1, category: "RETAIL" });
    const member = await enrollMember();
    // A coalition campaign for every DINING partner: 30 points on purchases of at least 20.00.
    const dining = await createCampaign({ name: `${tag}-dining`, categories: ["DINING"], bonusPoints: 30, minAmountMinor: 2_000 });
    expect(dining).toMatchObject({ fundedBy: null, partners: [], categories: ["DINING"] });
    expect((await purchaseWithBonuses(cafe, member.id, 2_000)).bonuses.map((b) => b.points)).toEqual([30]);
    expect((await purchaseWithBonuses(cafe, member.id, 1_999)).bonuses).toEqual([]);
    expect((await purchaseWithBonuses(shop, member.id, 5_000)).bonuses).toEqual([]);
    // GOLD and above (20,000 qualifying points): a BASE member gets nothing; after 20,000 base points they are GOLD.
    await createCampaign({ fundedByPartnerId: shop.id, bonusPoints: 7, minimumTier: "GOLD" });
    expect((await purchaseWithBonuses(shop, member.id, 2_000_000)).bonuses).toEqual([]); // 20,000 base: GOLD only after it
    expect((await purchaseWithBonuses(shop, member.id, 100)).bonuses.map((b) => b.points)).toEqual([7]);
    await endCampaign(dining.id); // other suites on this stack register DINING partners
  });

  it("cross-brand: a purchase exactly 7 days after one at the other brand qualifies, one millisecond later does not", async () => {
    const bookstore = await registerPartner({ pointsPerUnit: 1 });
    const cafe = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const t0 = new Date(Date.now() - 8 * DAY);
    await recordPurchase(bookstore, member.id, 1_000, { occurredAt: t0.toISOString() });
    await createCampaign({ fundedByPartnerId: cafe.id, bonusPercent: 100, afterPurchaseAtPartnerId: bookstore.id, afterPurchaseWithinDays: 7, startsAt: hoursFromNow(-10 * 24) });
    const at = (ms: number) => ({ occurredAt: new Date(t0.getTime() + ms).toISOString() });
    expect((await purchaseWithBonuses(cafe, member.id, 4_000, at(7 * DAY + 1_000))).bonuses).toEqual([]);
    expect((await purchaseWithBonuses(cafe, member.id, 4_000, at(7 * DAY + 1))).bonuses).toEqual([]);
    expect((await purchaseWithBonuses(cafe, member.id, 4_000, at(7 * DAY))).bonuses.map((b) => b.points)).toEqual([40]);
    expect((await purchaseWithBonuses(cafe, member.id, 4_000, at(0))).bonuses).toEqual([]); // at the same instant: not "before"
    expect((await purchaseWithBonuses(cafe, member.id, 4_000, at(1))).bonuses.map((b) => b.points)).toEqual([40]); // 1 ms after
    expect((await purchaseWithBonuses(cafe, member.id, 2_000, at(1_000))).bonuses.map((b) => b.points)).toEqual([20]);
    // A member who never bought at the bookstore gets nothing.
    expect((await purchaseWithBonuses(cafe, (await enrollMember()).id, 4_000)).bonuses).toEqual([]);
    // Nor does a purchase at the bookstore itself, inside the window: the campaign covers the café's purchases only.
    expect((await purchaseWithBonuses(bookstore, member.id, 4_000, at(DAY))).bonuses).toEqual([]);
  });

  it("cross-brand: only a purchase that earned points at the other brand counts, in the awards and in the offers", async () => {
    const bookstore = await registerPartner({ pointsPerUnit: 1 });
    const cafe = await registerPartner({ pointsPerUnit: 1 });
    const campaign = await createCampaign({ fundedByPartnerId: cafe.id, bonusPoints: 9, afterPurchaseAtPartnerId: bookstore.id, afterPurchaseWithinDays: 3 });
    const offered = async (memberId: string) => (await offersOf(memberId)).includes(campaign.id);
    // A one-cent receipt at the bookstore earns 0 points: the member did not earn there, so no offer and no bonus at the café.
    const cent = await enrollMember();
    await recordPurchase(bookstore, cent.id, 1);
    expect(await offered(cent.id)).toBe(false);
    expect((await purchaseWithBonuses(cafe, cent.id, 1_000)).bonuses).toEqual([]);
    // One euro there earns a point: offered, and the café's purchase gets the bonus.
    const euro = await enrollMember();
    await recordPurchase(bookstore, euro.id, 100);
    expect(await offered(euro.id)).toBe(true);
    expect((await purchaseWithBonuses(cafe, euro.id, 1_000)).bonuses.map((b) => b.points)).toEqual([9]);
  });

  it("stacking: several campaigns on one purchase, each once, in order of start; the funders' issuance accounts pay", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1, category: "FUEL" });
    const member = await enrollMember();
    const later = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 200, startsAt: hoursFromNow(-1) });
    const earlier = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 25, firstPurchaseAtPartner: true, startsAt: hoursFromNow(-2) });
    const fuel = await createCampaign({ categories: ["FUEL"], bonusPercent: 10, startsAt: hoursFromNow(-3) });
    const entry = await purchaseWithBonuses(partner, member.id, 12_345); // 123 base: 10 % → 12, welcome 25, 200 % → 246
    expect(entry.bonuses.map((b) => [b.campaign?.id, b.points])).toEqual([[fuel.id, 12], [earlier.id, 25], [later.id, 246]]);
    expect((await availableAndPending(member.id)).available).toBe(123 + 12 + 25 + 246);
    await endCampaign(fuel.id); // other suites on this stack register FUEL partners
  });

  it("a refund takes bonuses back in proportion and gives them back to the budget", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 14 });
    const member = await enrollMember();
    const campaign = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 50, budgetPoints: 1_000 });
    const entry = await purchaseWithBonuses(partner, member.id, 10_000); // 100 + 50, pending like the purchase
    expect(entry.bonuses.map((b) => b.points)).toEqual([50]);
    expect(await availableAndPending(member.id)).toEqual({ available: 0, pending: 150 });
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ pointsAwarded: 50, budgetRemaining: 950 });
    // 33.33 % refunded: floor(100 × 3,333 / 10,000) = 33 and floor(50 × 3,333 / 10,000) = 16.
    const refund = (amountMinor: number) => ok(REVERSE, { input: { partnerId: partner.id, reference: entry.reference, amountMinor, refundReference: unique("refund") } });
    expect((await refund(3_333)).reversePurchase.points).toBe(-33);
    expect(await availableAndPending(member.id)).toEqual({ available: 0, pending: 101 });
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ pointsAwarded: 34, budgetRemaining: 966 });
    // The rest: 100 − 33 = 67 and 50 − 16 = 34; nothing is left.
    expect((await refund(6_667)).reversePurchase.points).toBe(-67);
    expect(await availableAndPending(member.id)).toEqual({ available: 0, pending: 0 });
    expect(await campaignById(campaign.id, partner.id)).toMatchObject({ pointsAwarded: 0, budgetRemaining: 1_000, membersRewarded: 1 });
    const { member: seen } = await ok(`query($id: ID!) { member(id: $id) { activity(first: 10) { edges { node { kind points } } } } }`, { id: member.id });
    expect(seen.activity.edges.map((e: any) => e.node.points).sort((a: number, b: number) => a - b)).toEqual([-67, -34, -33, -16, 50, 100]);
  });
});
