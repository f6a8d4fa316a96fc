import { enrollMember, registerPartner } from "./support/fixtures";
import { ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";
import { availableAndPending, campaignById, createCampaign, endCampaign, hoursFromNow, offersOf, purchaseWithBonuses, recordPurchase } from "./support/campaigns";

/**
 * Edges issue 17's judge works out by hand that the other campaign suites leave out: the cross-brand
 * window's edges in the offers, and stacked bonuses refunded in several steps that sum
 * to the whole purchase (no point created or lost, budgets and caps given back).
 */
const DAY = 86_400_000;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const offered = async (memberId: string, campaignId: string) => (await offersOf(memberId)).includes(campaignId);

describe("campaigns, as judged", () => {
  afterEach(() => expectLedgerConsistent());

  it("offers follow the cross-brand window as of now: a purchase 7 days less a minute ago opens it, 7 days and a minute does not", async () => {
    // The awards at the window's edges, to the millisecond: test/campaigns.test.ts.
    const bookstore = await registerPartner({ pointsPerUnit: 1 });
    const cafe = await registerPartner({ pointsPerUnit: 1 });
    const campaign = await createCampaign({ fundedByPartnerId: cafe.id, bonusPercent: 100, afterPurchaseAtPartnerId: bookstore.id, afterPurchaseWithinDays: 7, startsAt: hoursFromNow(-10 * 24) });
    const eightDaysAgo = await enrollMember();
    await recordPurchase(bookstore, eightDaysAgo.id, 1_000, { occurredAt: new Date(Date.now() - 8 * DAY).toISOString() });
    expect(await offered(eightDaysAgo.id, campaign.id)).toBe(false);
    const inside = await enrollMember();
    await recordPurchase(bookstore, inside.id, 100, { occurredAt: new Date(Date.now() - 7 * DAY + 60_000).toISOString() });
    expect(await offered(inside.id, campaign.id)).toBe(true);
    const outside = await enrollMember();
    await recordPurchase(bookstore, outside.id, 100, { occurredAt: new Date(Date.now() - 7 * DAY - 60_000).toISOString() });
    expect(await offered(outside.id, campaign.id)).toBe(false);
    await endCampaign(campaign.id);
  });

  it("three stacked bonuses refunded in thirds: each share rounded down cumulatively, the whole back at the end, budget and cap given back", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const percent = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 37, budgetPoints: 10_000, startsAt: hoursFromNow(-3) });
    const fixed = await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 101, maxBonusPerMember: 101, startsAt: hoursFromNow(-2) });
    const welcome = await createCampaign({ fundedByPartnerId: partner.id, bonusPercent: 3, firstPurchaseAtPartner: true, startsAt: hoursFromNow(-1) });
    // 9,999 minor units: 99 base points; 37 % → floor(36.63) = 36, 101, 3 % → floor(2.97) = 2 (in order of start).
    const entry = await purchaseWithBonuses(partner, member.id, 9_999);
    expect([entry.points, entry.bonuses.map((b) => [b.campaign?.id, b.points])]).toEqual([99, [[percent.id, 36], [fixed.id, 101], [welcome.id, 2]]]);
    const { member: seen } = await ok(`query($id: ID!) { member(id: $id) { tierProgress { qualifyingPoints } balance { byPartner { earned } } } }`, { id: member.id });
    expect(seen).toEqual({ tierProgress: { qualifyingPoints: 99 }, balance: { byPartner: [{ earned: 99 }] } }); // bonuses never qualify
    const refund = (amountMinor: number) => ok(REVERSE, { input: { partnerId: partner.id, reference: entry.reference, amountMinor, refundReference: unique("refund") } });
    // A third (3,333 of 9,999): floor(99/3) = 33, floor(36/3) = 12, floor(101/3) = 33, floor(2/3) = 0.
    expect((await refund(3_333)).reversePurchase.points).toBe(-33);
    expect((await availableAndPending(member.id)).available).toBe(238 - 33 - 12 - 33 - 0);
    // Two thirds: 66, 24, floor(202/3) = 67, floor(4/3) = 1, less what the first took.
    expect((await refund(3_333)).reversePurchase.points).toBe(-33);
    expect((await availableAndPending(member.id)).available).toBe(238 - 66 - 24 - 67 - 1);
    // The last third: everything left, to the point.
    expect((await refund(3_333)).reversePurchase.points).toBe(-33);
    expect(await availableAndPending(member.id)).toEqual({ available: 0, pending: 0 });
    expect(await campaignById(percent.id, partner.id)).toMatchObject({ pointsAwarded: 0, budgetRemaining: 10_000, status: "ACTIVE" });
    expect(await campaignById(fixed.id, partner.id)).toMatchObject({ pointsAwarded: 0 });
    expect(await campaignById(welcome.id, partner.id)).toMatchObject({ pointsAwarded: 0 });
    // The fixed campaign's cap was given back with its points: a later purchase (1 base point: 37 % and 3 % of it are 0, no entry)
    // earns its 101 again; the welcome bonus does not come back (the refunded purchase was the first).
    expect((await purchaseWithBonuses(partner, member.id, 100)).bonuses.map((b) => [b.campaign?.id, b.points])).toEqual([[fixed.id, 101]]);
    for (const c of [percent, fixed, welcome]) await endCampaign(c.id);
  });
});
