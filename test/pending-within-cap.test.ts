import { createReward, enrollMember, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { availableAndPending, createCampaign, endCampaign, purchaseWithBonuses } from "./support/campaigns";
import { asMember, gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { points } }`;
const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { points } }`;

/**
 * README, Ranges: `pending` stays within Int while a member owes points. A debt is owed from spendable
 * points, so the balance is that much below what the member holds; checked against the balance alone,
 * a member owing 1,000 was given pending points past 2,147,483,647 (by a purchase, or by its bonus) and
 * `balance { pending }` answered INTERNAL_SERVER_ERROR (an outside review). A purchase's own pending
 * points are within lifetime earned points, which are capped; bonuses are not. Worked by hand: owing 1,000
 * with 2,000,000,000 pending (half of it a bonus), the balance is 1,999,999,000; at 1,000 points a unit (10 a cent) a purchase
 * of 14,748,365 cents (147,483,650 points) would hold 2,147,483,650 and is refused; 14,748,364 cents
 * (147,483,640) holds 2,147,483,640, leaving no room for a 1,000-point bonus or a 500-point referral bonus.
 */
describe("pending points stay within Int while a member owes points", () => {
  it("a purchase, its campaign bonus and a referral bonus may not take balance plus debt past the cap", async () => {
    const plain = await registerPartner({ pointsPerUnit: 1 });
    const windowed = await registerPartner({ pointsPerUnit: 1_000, returnWindowDays: 30 });
    const member = await enrollMember();
    const spent = await recordPurchase(plain, member.id, 100_000); // 1,000 spendable
    await redeem(member.id, (await createReward(plain.id, { costPoints: 1_000 })).id);
    await ok(REVERSE, { input: { partnerId: plain.id, reference: spent.reference, amountMinor: 100_000 } }); // owes 1,000
    // 1,000,000,000 pending points and as many pending bonus points (bonuses count toward no lifetime figure).
    const doubled = await createCampaign({ fundedByPartnerId: windowed.id, bonusPercent: 100, budgetPoints: 1_000_000_000 });
    const first = await purchaseWithBonuses(windowed, member.id, 100_000_000);
    expect([first.points, first.bonuses.map((b) => b.points)]).toEqual([1_000_000_000, [1_000_000_000]]);
    await endCampaign(doubled.id);
    expect(await availableAndPending(member.id)).toEqual({ available: -1_000, pending: 2_000_000_000 });

    const tooMuch = await gql(RECORD, { input: { partnerId: windowed.id, memberId: member.id, amountMinor: 14_748_365, currency: windowed.currency, reference: unique("receipt") } });
    expect(tooMuch.errors?.[0]?.extensions).toMatchObject({ code: "LIMIT_EXCEEDED", figure: "balanceBeforeDebt", limit: 2_147_483_647, wouldBe: 2_147_483_650 });

    await createCampaign({ fundedByPartnerId: windowed.id, bonusPoints: 1_000, budgetPoints: 1_000_000 });
    const fits = await purchaseWithBonuses(windowed, member.id, 14_748_364);
    expect({ points: fits.points, bonuses: fits.bonuses }).toEqual({ points: 147_483_640, bonuses: [] });
    expect(await availableAndPending(member.id)).toEqual({ available: -1_000, pending: 2_147_483_640 });

    // A friend's first purchase: the friend gets 500; the referrer, with no room left, nothing.
    const { member: referrer } = await ok(`query($id: ID!) { member(id: $id) { referralCode } }`, { id: member.id }, asMember(member.id));
    const { enrollMember: friend } = await ok(`mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { id } }`, {
      input: { email: `${unique("friend")}@example.com`, displayName: "Friend", referralCode: referrer.referralCode },
    });
    await recordPurchase(plain, friend.id, 10_000); // 100 points, spendable
    expect(await availableAndPending(friend.id)).toEqual({ available: 600, pending: 0 });
    expect(await availableAndPending(member.id)).toEqual({ available: -1_000, pending: 2_147_483_640 });
    await expectLedgerConsistent();
  });
});
