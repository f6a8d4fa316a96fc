import { createReward, enrollMember, headline, registerPartner } from "./fixtures";
import { ok, unique } from "./gateway";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status voucherCode } }`;

/**
 * A completed redemption whose cancellation the ledger must refuse for the member cap (README, Ranges):
 * `near` redeems 100 points at 2,147,483,640 and a friend's gift refills the balance to 2,147,483,640,
 * so the 100 points can no longer come back (2,147,483,740 > 2,147,483,647).
 */
export async function redemptionPastTheCap() {
  const partner = await registerPartner({ pointsPerUnit: 1_000 });
  const [near, other] = [await enrollMember(), await enrollMember()];
  const purchase = (memberId: string, amountMinor: number) => ({ input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("receipt") } });
  await ok(RECORD, purchase(near.id, 100_000_000)); // 1,000,000,000 at BASE, then PLATINUM
  await ok(RECORD, purchase(other.id, 100_000_000));
  await ok(RECORD, purchase(near.id, 57_364_182)); // 1,147,283,640
  await ok(RECORD, purchase(near.id, 10_000)); // 200,000: balance 2,147,483,640, 7 below the cap
  const reward = await createReward(partner.id, { costPoints: 100, stock: 5 });
  const { redeemReward } = await ok(REDEEM, { input: { memberId: near.id, rewardId: reward.id, idempotencyKey: unique("key") } });
  await ok(TRANSFER, { input: { fromMemberId: other.id, toMemberId: near.id, points: 100, idempotencyKey: unique("gift") } });
  if ((await headline(near.id)).balance.available !== 2_147_483_640) throw new Error("the fixture's balance is not 2,147,483,640");
  return { partner, near, other, reward, redemption: redeemReward as { id: string; status: string; voucherCode: string } };
}
