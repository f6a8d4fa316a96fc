import { createReward, enrollMember, headline, recordPurchase, registerPartner } from "./support/fixtures";
import { gql, unique } from "./support/gateway";
import { expectCatalogConsistent } from "./support/consistency";
import { expectLedgerConsistent } from "./support/ledger";

const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status } }`;
const answerOf = (r: { data?: any; errors?: { extensions?: Record<string, unknown> }[] }) =>
  r.errors?.length ? String(r.errors[0].extensions?.code) : `OK:${r.data.redeemReward.id}`;

afterEach(async () => {
  await expectLedgerConsistent();
  await expectCatalogConsistent();
});

/**
 * README, Redemption: "the same member and key return the same redemption, even sent concurrently". A copy
 * that looked the key up just before the first committed was refused by the first one's own effects
 * (its stock unit, hold or count toward maxPerMember: NOT_ELIGIBLE, OUT_OF_STOCK, INSUFFICIENT_POINTS;
 * outside review); such a refusal now looks the key up again.
 */
describe("parallel requests with one key all answer the one redemption", () => {
  const oneKey = async (reward: { id: string }, memberId: string) => {
    const input = { memberId, rewardId: reward.id, idempotencyKey: unique("key") };
    const results = await Promise.all(Array.from({ length: 20 }, () => gql(REDEEM, { input })));
    return results.map(answerOf);
  };

  it("when the member can afford exactly one", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 10_000); // 100 points
    const reward = await createReward(partner.id, { costPoints: 100 });
    const answers = await oneKey(reward, member.id);
    expect(answers.filter((a) => a !== answers.find((b) => b.startsWith("OK")))).toEqual([]);
    expect((await headline(member.id)).balance).toMatchObject({ available: 0, lifetimeRedeemed: 100 });
  });

  it("when maxPerMember is 1", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 100, maxPerMember: 1 });
    const answers = await oneKey(reward, member.id);
    expect(answers.filter((a) => a !== answers.find((b) => b.startsWith("OK")))).toEqual([]);
  });

  it("when the stock is 1", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 100, stock: 1 });
    const answers = await oneKey(reward, member.id);
    expect(answers.filter((a) => a !== answers.find((b) => b.startsWith("OK")))).toEqual([]);
  });
});
