import { createCampaign, purchaseWithBonuses } from "./support/campaigns";
import { enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { asMember, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id kind points } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const CAP = 2_147_483_647;
const take = (memberId: string, points: number) => ({ input: { memberId, points, reason: "FRAUD", note: "Receipts were forged", idempotencyKey: unique("ticket") } });

/** Takes 10,000,000 points `times` times (the most one adjustment may take), ten at a time. */
async function takeMany(memberId: string, times: number) {
  for (let done = 0; done < times; done += 10) {
    await Promise.all(Array.from({ length: Math.min(10, times - done) }, () => ok(ADJUST, take(memberId, -10_000_000))));
  }
}

describe("adjustPoints within the ranges of README, Ranges", () => {
  afterEach(() => expectLedgerConsistent());

  it("refuses a negative adjustment that would take available points past what Int holds, counting what refunds may still take back", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const purchase = await recordPurchase(partner, member.id, 100_000); // 1,000 points, spendable at once
    await takeMany(member.id, 214); // available: 1,000 - 2,140,000,000
    // The floor is -CAP plus the 1,000 lifetime earned points a refund may still take back.
    const floor = -CAP + 1_000;
    const refused = await gql(ADJUST, take(member.id, -10_000_000));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "LIMIT_EXCEEDED", figure: "balance", limit: floor, wouldBe: 1_000 - 2_150_000_000 });
    // Exactly to the floor is allowed...
    await ok(ADJUST, take(member.id, floor - (1_000 - 2_140_000_000)));
    expect((await headline(member.id)).balance.available).toBe(floor);
    // ...and the refund of the purchase takes its 1,000 points, leaving available at -CAP: still readable.
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 100_000 } });
    const read = await gql(`query($id: ID!) { member(id: $id) { balance { available lifetimeEarned } } }`, { id: member.id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.member.balance).toEqual({ available: -CAP, lifetimeEarned: 0 });
    // Not one point more.
    expect((await gql(ADJUST, take(member.id, -1))).errors?.[0]?.extensions?.code).toBe("LIMIT_EXCEEDED");
  }, 120_000);

  it("counts the bonuses a refund takes back with its purchase in that floor (outside review)", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    await createCampaign({ fundedByPartnerId: partner.id, bonusPoints: 500 });
    const member = await enrollMember();
    const purchase = await purchaseWithBonuses(partner, member.id, 100_000); // 1,000 points and a 500-point bonus, spendable at once
    expect([purchase.points, purchase.bonuses.map((b) => b.points)]).toEqual([1_000, [500]]);
    await takeMany(member.id, 214); // available: 1,500 - 2,140,000,000 = -2,139,998,500
    // The floor: -2,147,483,647 + 1,000 earned + 500 of bonus a refund may still take back = -2,147,482,147.
    const floor = -2_147_482_147;
    await ok(ADJUST, take(member.id, floor + 2_139_998_500)); // -7,483,647: exactly to the floor
    const refused = await gql(ADJUST, take(member.id, -1));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: floor, wouldBe: floor - 1 });
    // The refund takes the 1,000 points and the 500 of bonus back: available -2,147,483,647, still an Int.
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 100_000 } });
    expect((await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id: member.id })).member.balance.available).toBe(-CAP);
  });

  it("counts a referrer's referral bonus, which a refund of the friend's purchase takes back, in that floor", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const referrer = await enrollMember();
    const code = (await ok(`query($id: ID!) { member(id: $id) { referralCode } }`, { id: referrer.id }, asMember(referrer.id))).member.referralCode as string;
    const friend = (await ok(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`,
      { input: { email: `${unique("friend")}@example.com`, displayName: "Friend", referralCode: code } })).enrollMember as { id: string };
    const purchase = await purchaseWithBonuses(partner, friend.id, 1_000); // 10 points, and 500 to each
    expect((await headline(referrer.id)).balance.available).toBe(500);
    await takeMany(referrer.id, 214); // available: 500 - 2,140,000,000 = -2,139,999,500
    // The floor: -2,147,483,647 + 500 of referral bonus a refund may still take back = -2,147,483,147.
    const floor = -2_147_483_147;
    const refused = await gql(ADJUST, take(referrer.id, floor + 2_139_999_500 - 1));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "LIMIT_EXCEEDED", limit: floor, wouldBe: floor - 1 });
    await ok(ADJUST, take(referrer.id, floor + 2_139_999_500)); // -7,483,647: exactly to the floor
    // The friend's refund takes the 500 back: available -2,147,483,647, still an Int.
    await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 1_000 } });
    expect((await ok(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id: referrer.id })).member.balance.available).toBe(-CAP);
  }, 120_000);

  it("counts the note in characters, as Postgres does: 500 emoji fit, 501 do not", async () => {
    const member = await enrollMember();
    const note = (n: number) => ({ input: { memberId: member.id, points: 5, reason: "GOODWILL", note: "😀".repeat(n), idempotencyKey: unique("ticket") } });
    expect((await ok(ADJUST, note(500))).adjustPoints.points).toBe(5);
    expect((await gql(ADJUST, note(501))).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "note" });
  });
});
