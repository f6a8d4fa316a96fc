import { createReward, enrollMember, headline, registerPartner } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";
import { expectCatalogConsistent } from "./support/consistency";
import { expectLedgerConsistent } from "./support/ledger";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const TRANSFER = `mutation($input: TransferPointsInput!) { transferPoints(input: $input) { id points } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status voucherCode } }`;
const CANCEL = `mutation($id: ID!) { cancelRedemption(id: $id) { id status } }`;
const USED = `mutation($code: String!) { markVoucherUsed(code: $code) { id status voucherUsedAt } }`;
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code ?? "OK";

afterEach(async () => {
  await expectLedgerConsistent();
  await expectCatalogConsistent();
});

/**
 * README, Vouchers: a cancellation whose points would take the member's balance past the cap. The
 * ledger refuses it (LIMIT_EXCEEDED); the catalog answered UPSTREAM_UNAVAILABLE, "it will complete
 * automatically", forever, the sweep retrying in vain and the voucher refused as cancelled (outside review).
 */
it("a cancellation the ledger refuses for the member cap answers that refusal and leaves the voucher usable", async () => {
  const partner = await registerPartner({ pointsPerUnit: 1_000 });
  const [near, other] = [await enrollMember(), await enrollMember()];
  const purchase = (memberId: string, amountMinor: number) => ({
    input: { partnerId: partner.id, memberId, amountMinor, currency: partner.currency, reference: unique("receipt") },
  });
  await ok(RECORD, purchase(near.id, 100_000_000)); // 1,000,000,000 at BASE, then PLATINUM
  await ok(RECORD, purchase(other.id, 100_000_000));
  await ok(RECORD, purchase(near.id, 57_364_182)); // 1,147,283,640
  await ok(RECORD, purchase(near.id, 10_000)); // 200,000: balance 2,147,483,640, 7 below the cap
  const reward = await createReward(partner.id, { costPoints: 100, stock: 5 });
  const { redeemReward } = await ok(REDEEM, { input: { memberId: near.id, rewardId: reward.id, idempotencyKey: unique("key") } });
  // A friend's gift refills the balance (2,147,483,640 again): the 100 points can no longer come back under the cap.
  await ok(TRANSFER, { input: { fromMemberId: other.id, toMemberId: near.id, points: 100, idempotencyKey: unique("gift") } });
  expect((await headline(near.id)).balance.available).toBe(2_147_483_640);

  const first = await gql(CANCEL, { id: redeemReward.id });
  const again = await gql(CANCEL, { id: redeemReward.id });
  // A business refusal, not "retry shortly: it will complete automatically" (it never will).
  expect([codeOf(first), codeOf(again)]).toEqual(["LIMIT_EXCEEDED", "LIMIT_EXCEEDED"]);
  // Nothing written: the member keeps the voucher they paid for.
  const used = await gql(USED, { code: redeemReward.voucherCode });
  expect(codeOf(used)).toBe("OK");
});
