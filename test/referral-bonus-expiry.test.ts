import { enrollFriendOf, enrollMember, recordPurchase, registerPartner } from "./support/fixtures";
import { ok } from "./support/gateway";
import { expectLedgerConsistent, travel } from "./support/ledger";
import { travelTo } from "./support/clearing";

/**
 * README, Expiry: points expire POINTS_EXPIRY_MONTHS (24 in the test stack) calendar months after they
 * were earned, a referrer's bonus too: it is earned (its lot's earned_at, its entry's date) when it is
 * posted, so it expires 24 calendar months after that. Before ReferrerBonusExpiryInMonths1734950000000
 * it expired as long after it was posted as the friend's purchase's points lived, counted in seconds:
 * for a late purchase whose 24 months hold 29 February 2028 and a posting whose 24 months do not, a day
 * after 24 calendar months.
 *
 * Worked out by hand (REFERRAL_BONUS_POINTS is 500 in the test stack, the partner earns 1 point per 100
 * minor units, return window 0 days):
 * - the ledger's clock at 2028-03-10T12:00:00Z (ten days after 29 February 2028), the friend's first
 *   purchase recorded late, occurredAt 2027-03-15T12:00:00Z (361 days back: 2027-03-15 → 2028-03-10 is
 *   16 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 + 31 + 29 + 10 = 361 days, within 365);
 * - the friend's 1,000 minor units earn 10 points, and their 500 bonus is dated with the purchase: both
 *   lots expire 2029-03-15T12:00:00Z (24 months after 2027-03-15T12:00:00Z; that span holds
 *   29 February 2028, so it is 731 days);
 * - the referrer's 500 are posted at 2028-03-10T12:00:00Z (+ the request's milliseconds) and expire
 *   2030-03-10T12:00:00Z (24 months later; 2028-03-10 → 2030-03-10 holds no 29 February: 730 days).
 *   As long as the friend's points live (731 days) would be 2030-03-11T12:00:00Z, a day late.
 */
const BALANCE = `query($id: ID!) { member(id: $id) { balance { expiringSoon { points expiresAt } } } }`;
const expiringSoon = async (memberId: string): Promise<{ points: number; expiresAt: string }[]> => (await ok(BALANCE, { id: memberId })).member.balance.expiringSoon;

describe("a referrer's bonus of a late purchase across 29 February 2028", () => {
  afterAll(() => travel(0));

  it("expires 24 calendar months after it is posted, the friend's points 24 months after the purchase", async () => {
    const shop = await registerPartner({ pointsPerUnit: 1, returnWindowDays: 0 });
    const referrer = await enrollMember();
    const friend = await enrollFriendOf(referrer.id);

    await travelTo(new Date("2028-03-10T12:00:00Z"));
    const purchase = await recordPurchase(shop, friend.id, 1_000, { occurredAt: "2027-03-15T12:00:00.000Z" });
    expect(purchase.points).toBe(10);

    // 14 days before the friend's expiry (2029-03-01, within the 90-day horizon): 10 + 500 on 2029-03-15T12:00:00Z.
    await travelTo(new Date("2029-03-01T00:00:00Z"));
    const friendSoon = await expiringSoon(friend.id);
    expect(friendSoon.reduce((sum, e) => sum + e.points, 0)).toBe(510);
    expect([...new Set(friendSoon.map((e) => e.expiresAt))]).toEqual(["2029-03-15T12:00:00.000Z"]);

    // 9 days before the referrer's (2030-03-01): 500 on 2030-03-10T12:00:00Z, give or take the request's time (posted at the clock's now).
    await travelTo(new Date("2030-03-01T00:00:00Z"));
    const referrerSoon = await expiringSoon(referrer.id);
    expect(referrerSoon.map((e) => e.points)).toEqual([500]);
    const offMs = new Date(referrerSoon[0].expiresAt).getTime() - Date.parse("2030-03-10T12:00:00Z");
    expect({ offMs, withinAMinute: Math.abs(offMs) < 60_000 }).toEqual({ offMs, withinAMinute: true });

    await travel(0);
    await expectLedgerConsistent();
  });
});
