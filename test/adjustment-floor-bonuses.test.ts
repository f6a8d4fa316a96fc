import { createCampaign, purchaseWithBonuses } from "./support/campaigns";
import { enrollMember, registerPartner } from "./support/fixtures";
import { gql, ok, unique } from "./support/gateway";
import { expectLedgerConsistent } from "./support/ledger";

/**
 * README, Adjustments: a negative adjustment is refused when it "would take `available` below
 * −2,147,483,647 plus the member's lifetime earned points, the most later refunds may still take
 * back, so `available` always stays within `Int`". A refund also takes back the purchase's campaign
 * bonuses (bonus-reversal.ts), which are not in lifetime earned: an adjustment to the floor followed
 * by the refund leaves `available` below −2^31 + 1, and the member's balance no longer reads.
 */
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { id kind points } }`;
const REVERSE = `mutation($input: ReversePurchaseInput!) { reversePurchase(input: $input) { id points } }`;
const CAP = 2_147_483_647;
const take = (memberId: string, points: number) => ({ input: { memberId, points, reason: "FRAUD", note: "Receipts were forged", idempotencyKey: unique("ticket") } });

async function takeMany(memberId: string, times: number) {
  for (let done = 0; done < times; done += 10) {
    await Promise.all(Array.from({ length: Math.min(10, times - done) }, () => ok(ADJUST, take(memberId, -10_000_000))));
  }
}

it("a refund after an adjustment to the floor never takes available past what Int holds, bonuses included", async () => {
  const partner = await registerPartner({ pointsPerUnit: 1 });
  await createCampaign({ fundedByPartnerId: partner.id, partnerIds: [partner.id], bonusPoints: 500 });
  const member = await enrollMember();
  const purchase = await purchaseWithBonuses(partner, member.id, 100_000); // 1,000 points + a 500-point bonus
  expect(purchase.points).toBe(1_000);
  expect(purchase.bonuses.reduce((s, b) => s + b.points, 0)).toBe(500);
  await takeMany(member.id, 214); // available: 1,500 - 2,140,000,000
  // Take as much as the adjustment allows (down to its floor, or the first refusal).
  const floor = -CAP + 1_000;
  const last = await gql(ADJUST, take(member.id, floor - (1_500 - 2_140_000_000)));
  // Whatever the floor is, the refund afterwards must leave available readable (within Int).
  await ok(REVERSE, { input: { partnerId: partner.id, reference: purchase.reference, amountMinor: 100_000 } });
  const read = await gql(`query($id: ID!) { member(id: $id) { balance { available } } }`, { id: member.id });
  expect({ adjustment: last.errors?.[0]?.extensions?.code ?? "ok", readErrors: read.errors?.map((e) => e.message) }).toEqual({ adjustment: "LIMIT_EXCEEDED", readErrors: undefined });
  expect(read.data!.member.balance.available).toBeGreaterThanOrEqual(-CAP);
  await expectLedgerConsistent();
}, 180_000);
