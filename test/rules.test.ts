import { createReward, enrollMember, headline, recordPurchase, redeem, registerPartner } from "./support/fixtures";
import { fails, gql, ok, unique } from "./support/gateway";

const RECORD = `mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { id points } }`;
const REDEEM = `mutation($input: RedeemRewardInput!) { redeemReward(input: $input) { id status voucherCode } }`;
const stockOf = async (id: string) => (await ok(`query($id: ID!) { reward(id: $id) { stock } }`, { id })).reward.stock;

describe("earning", () => {
  it("computes points from the partner's rule, rounding down", async () => {
    const partner = await registerPartner({ pointsPerUnit: 0.3 });
    const member = await enrollMember();
    // 0.1 + 0.2 style float error would give 2 for 10.00 × 0.3 = 3 (2.9999…): integer arithmetic gives 3.
    expect((await recordPurchase(partner, member.id, 1_000)).points).toBe(3);
    expect((await recordPurchase(partner, member.id, 333)).points).toBe(0); // 0.999 points: nothing earned
  });

  it("earns once per (partner, reference), even for concurrent copies, and returns the first entry", async () => {
    const partner = await registerPartner({ pointsPerUnit: 1 });
    const member = await enrollMember();
    const input = { partnerId: partner.id, memberId: member.id, amountMinor: 5_000, currency: "EUR", reference: unique("receipt") };
    const results = await Promise.all(Array.from({ length: 10 }, () => ok(RECORD, { input })));
    const ids = new Set(results.map((r) => r.recordPurchase.id));
    expect(ids.size).toBe(1);
    expect((await ok(RECORD, { input })).recordPurchase.id).toEqual([...ids][0]);
    expect((await headline(member.id)).balance.lifetimeEarned).toBe(50);

    // The same reference at another partner is another purchase.
    const other = await registerPartner({ pointsPerUnit: 1 });
    await ok(RECORD, { input: { ...input, partnerId: other.id } });
    expect((await headline(member.id)).balance.lifetimeEarned).toBe(100);
  });

  it("refuses to reuse a reference for a different purchase, writing nothing", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    const input = { partnerId: partner.id, memberId: member.id, amountMinor: 5_000, currency: "EUR", reference: unique("receipt") };
    await ok(RECORD, { input });
    const conflict = await fails(RECORD, { input: { ...input, amountMinor: 9_000 } }, "IDEMPOTENCY_CONFLICT");
    expect([conflict.message, conflict.extensions?.field]).toEqual(["This reference was already used for a request with different input; use a new reference for a new request", "reference"]);
    expect((await headline(member.id)).balance.available).toBe(50);
  });
});

describe("redemption", () => {
  it("takes points and stock once per idempotency key", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000); // 1,000 points
    const reward = await createReward(partner.id, { costPoints: 400, stock: 5 });
    const key = unique("key");
    const first = await redeem(member.id, reward.id, key);
    const again = await redeem(member.id, reward.id, key);
    expect(again.redeemReward).toEqual(first.redeemReward);
    expect((await headline(member.id)).balance.available).toBe(600);
    expect(await stockOf(reward.id)).toBe(4);

    // Keys belong to their member: another member's same key is their own request (here, one they
    // cannot afford), and says nothing of the first member's redemption.
    const stranger = await enrollMember();
    await fails(REDEEM, { input: { memberId: stranger.id, rewardId: reward.id, idempotencyKey: key } }, "INSUFFICIENT_POINTS");
    expect(await stockOf(reward.id)).toBe(4);
  });

  it("refuses ineligible redemptions with a clear code and changes nothing", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 50_000); // 500 points
    const cases: [Record<string, unknown>, string][] = [
      [{ costPoints: 501 }, "INSUFFICIENT_POINTS"],
      [{ costPoints: 100, stock: 0 }, "OUT_OF_STOCK"],
      [{ costPoints: 100, minimumTier: "SILVER" }, "NOT_ELIGIBLE"],
      [{ costPoints: 100, active: false }, "NOT_ELIGIBLE"],
      [{ costPoints: 100, validUntil: new Date(Date.now() - 60_000).toISOString() }, "NOT_ELIGIBLE"],
      [{ costPoints: 100, validFrom: new Date(Date.now() + 60_000).toISOString() }, "NOT_ELIGIBLE"],
    ];
    for (const [overrides, code] of cases) {
      const reward = await createReward(partner.id, { stock: 3, ...overrides });
      const error = await fails(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } }, code);
      expect(error.message.length).toBeGreaterThan(10);
      expect(await stockOf(reward.id)).toBe(overrides.stock ?? 3);
    }
    const after = await headline(member.id);
    expect(after.balance.available).toBe(500);
    expect(after.redemptions).toEqual([]);
  });

  it("never lets available points go below zero", async () => {
    const partner = await registerPartner();
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000); // 1,000 points
    const reward = await createReward(partner.id, { costPoints: 300 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await gql(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } }));
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? r.data!.redeemReward.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED", "INSUFFICIENT_POINTS"]);
    expect((await headline(member.id)).balance.available).toBe(100);
  });

  it("does not spend pending points", async () => {
    const partner = await registerPartner({ returnWindowDays: 30 });
    const member = await enrollMember();
    await recordPurchase(partner, member.id, 100_000);
    const reward = await createReward(partner.id, { costPoints: 100 });
    expect((await headline(member.id)).balance).toMatchObject({ available: 0, pending: 1_000 });
    await fails(REDEEM, { input: { memberId: member.id, rewardId: reward.id, idempotencyKey: unique("key") } }, "INSUFFICIENT_POINTS");
  });
});
