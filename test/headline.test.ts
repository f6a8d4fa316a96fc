import { createReward, eligibleRewardIds, enrollMember, headline, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { ok } from "./support/gateway";

const DAY = 86_400_000;

/** The headline query after a scripted history, figure by figure. */
describe("headline query", () => {
  it("returns balance, byPartner, tier progress, eligible rewards and redemptions computed across four services", async () => {
    const air = await registerPartner({ category: "AIRLINE", pointsPerUnit: 2, currency: "EUR" });
    const coffee = await registerPartner({ category: "DINING", pointsPerUnit: 1.5, currency: "USD" });
    const hotel = await registerPartner({ category: "HOTEL", pointsPerUnit: 1, currency: "EUR", returnWindowDays: 10 });
    const member = await enrollMember({ displayName: "Scripted Sam" });
    for (const [partner, externalId] of [[air, "AIR-1"], [coffee, "CUP-1"]] as const) {
      await ok(`mutation($input: LinkPartnerAccountInput!) { linkPartnerAccount(input: $input) { externalId } }`, {
        input: { memberId: member.id, partnerId: partner.id, externalId },
      });
    }

    expect((await recordPurchase(air, member.id, 123_456)).points).toBe(2_469); // 1234.56 × 2
    expect((await recordPurchase(air, member.id, 1_999)).points).toBe(39); // 19.99 × 2 = 39.98
    expect((await recordPurchase(coffee, member.id, 2_099)).points).toBe(31); // 20.99 × 1.5 = 31.485
    expect((await recordPurchase(coffee, member.id, 100_000)).points).toBe(1_500);
    // Hotel: one stay inside the 10-day return window (pending), one after it (available). Not linked: still earns.
    expect((await recordPurchase(hotel, member.id, 50_000)).points).toBe(500);
    await recordPurchase(hotel, member.id, 30_000, { occurredAt: new Date(Date.now() - 20 * DAY).toISOString() });

    const cheap = await createReward(coffee.id, { costPoints: 300 });
    const silverOnly = await createReward(coffee.id, { costPoints: 1_000, minimumTier: "SILVER" });
    const tooDear = await createReward(coffee.id, { costPoints: 5_000 });
    const soldOut = await createReward(coffee.id, { costPoints: 200, stock: 0 });
    const expired = await createReward(coffee.id, { costPoints: 250, validUntil: new Date(Date.now() - DAY).toISOString() });
    const notYet = await createReward(coffee.id, { costPoints: 260, validFrom: new Date(Date.now() + DAY).toISOString() });
    const inactive = await createReward(coffee.id, { costPoints: 270, active: false });
    const exact = await createReward(coffee.id, { costPoints: 4_339, stock: 3 });
    const ours = new Set([cheap, silverOnly, tooDear, soldOut, expired, notYet, inactive, exact].map((r) => r.id));
    // The catalog is shared by every test file: look at our rewards among all eligible ones, every page of them.
    const ourEligible = async () => (await eligibleRewardIds(member.id)).filter((id) => ours.has(id));

    const before = await headline(member.id);
    expect(before.balance).toEqual({
      available: 4_339,
      pending: 500,
      held: 0,
      lifetimeEarned: 4_839,
      lifetimeRedeemed: 0,
      byPartner: [
        { partner: { id: air.id, slug: air.slug }, earned: 2_508, redeemed: 0 },
        { partner: { id: coffee.id, slug: coffee.slug }, earned: 1_531, redeemed: 0 },
        { partner: { id: hotel.id, slug: hotel.slug }, earned: 800, redeemed: 0 },
      ],
    });
    expect(before.tier).toBe("BASE");
    expect(before.tierProgress).toEqual({
      current: "BASE",
      next: "SILVER",
      qualifyingPoints: 4_339, // pending points do not qualify
      nextThreshold: 5_000,
      pointsToNext: 661,
      progress: 4_339 / 5_000,
    });
    expect(await ourEligible()).toEqual([cheap.id, exact.id]);

    const { redeemReward } = await redeem(member.id, cheap.id);
    expect(redeemReward).toMatchObject({ status: "COMPLETED", pointsSpent: 300, reward: { id: cheap.id }, member: { id: member.id } });
    expect(redeemReward.voucherCode).toMatch(/^[0-9A-Z-]{20,}$/);

    const after = await headline(member.id);
    expect(after.balance).toMatchObject({ available: 4_039, pending: 500, lifetimeEarned: 4_839, lifetimeRedeemed: 300 });
    expect(after.balance.byPartner[1]).toEqual({ partner: { id: coffee.id, slug: coffee.slug }, earned: 1_531, redeemed: 300 });
    expect(after.tierProgress.qualifyingPoints).toBe(4_339); // spending does not lower tier progress
    expect(await ourEligible()).toEqual([cheap.id]); // `exact` now costs more than is available
    expect(after.redemptions).toEqual([
      { id: redeemReward.id, status: "COMPLETED", pointsSpent: 300, voucherCode: redeemReward.voucherCode, reward: { id: cheap.id } },
    ]);

    const { memberByEmail } = await ok(`query($email: String!) { memberByEmail(email: $email) { id partnerAccounts { partner { id } externalId } } }`, {
      email: member.email.toUpperCase(),
    });
    expect(memberByEmail.id).toBe(member.id);
    expect(memberByEmail.partnerAccounts).toEqual([
      { partner: { id: air.id }, externalId: "AIR-1" },
      { partner: { id: coffee.id }, externalId: "CUP-1" },
    ]);
  });

  it.each([
    [250_000, { current: "SILVER", next: "GOLD", qualifyingPoints: 5_000, nextThreshold: 20_000, pointsToNext: 15_000, progress: 0 }],
    [1_100_000, { current: "GOLD", next: "PLATINUM", qualifyingPoints: 22_000, nextThreshold: 50_000, pointsToNext: 28_000, progress: 2_000 / 30_000 }],
    [2_600_000, { current: "PLATINUM", next: null, qualifyingPoints: 52_000, nextThreshold: null, pointsToNext: 0, progress: 1 }],
  ])("tier progress after purchases worth %i minor units at 2 points per unit", async (amountMinor, expected) => {
    const partner = await registerPartner({ pointsPerUnit: 2 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, amountMinor);
    const standing = await headline(member.id);
    expect(standing.tier).toBe(expected.current);
    expect(standing.tierProgress).toEqual(expected);
  });

  it("offers tier-restricted rewards once the member reaches the tier", async () => {
    const partner = await registerPartner({ pointsPerUnit: 2 });
    const member = await enrollMember();
    const gold = await createReward(partner.id, { costPoints: 1_000, minimumTier: "GOLD" });
    const silver = await createReward(partner.id, { costPoints: 1_000, minimumTier: "SILVER" });
    await recordPurchase(partner, member.id, 250_000); // 5,000 points: SILVER
    const ids = await eligibleRewardIds(member.id); // every page: the shared catalog holds other files' rewards
    expect(ids).toContain(silver.id);
    expect(ids).not.toContain(gold.id);
  });

  it("lists a partner's rewards and the members page by page", async () => {
    const partner = await registerPartner();
    const second = await createReward(partner.id, { costPoints: 900 });
    const first = await createReward(partner.id, { costPoints: 100 });
    const { partner: found } = await ok(`query($id: ID!) { partner(id: $id) { id rewards { id } } }`, { id: partner.id });
    expect(found.rewards.map((r: { id: string }) => r.id)).toEqual([first.id, second.id]);

    const a = await enrollMember();
    const b = await enrollMember();
    const c = await enrollMember();
    const { members } = await ok(`query($after: ID) { members(first: 2, after: $after) { id } }`, { after: a.id });
    expect(members.map((m: { id: string }) => m.id)).toEqual([b.id, c.id]);
  });
});
